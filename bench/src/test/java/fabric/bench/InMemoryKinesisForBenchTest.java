package fabric.bench;

import fabric.kinesis.v1.CreateStreamRequest;
import fabric.kinesis.v1.CreateStreamResponse;
import fabric.kinesis.v1.DeleteStreamRequest;
import fabric.kinesis.v1.DeleteStreamResponse;
import fabric.kinesis.v1.Consumer;
import fabric.kinesis.v1.ConsumerDescription;
import fabric.kinesis.v1.DescribeStreamConsumerRequest;
import fabric.kinesis.v1.DescribeStreamConsumerResponse;
import fabric.kinesis.v1.DescribeStreamSummaryRequest;
import fabric.kinesis.v1.DescribeStreamSummaryResponse;
import fabric.kinesis.v1.GetRecordsRequest;
import fabric.kinesis.v1.GetRecordsResponse;
import fabric.kinesis.v1.GetShardIteratorRequest;
import fabric.kinesis.v1.GetShardIteratorResponse;
import fabric.kinesis.v1.KinesisGrpc;
import fabric.kinesis.v1.ListShardsRequest;
import fabric.kinesis.v1.ListShardsResponse;
import fabric.kinesis.v1.ListStreamsRequest;
import fabric.kinesis.v1.ListStreamsResponse;
import fabric.kinesis.v1.PutRecordsRequest;
import fabric.kinesis.v1.PutRecordsRequestEntry;
import fabric.kinesis.v1.PutRecordsResponse;
import fabric.kinesis.v1.PutRecordsResultEntry;
import fabric.kinesis.v1.Record;
import fabric.kinesis.v1.RegisterStreamConsumerRequest;
import fabric.kinesis.v1.RegisterStreamConsumerResponse;
import fabric.kinesis.v1.Shard;
import fabric.kinesis.v1.StreamDescriptionSummary;
import fabric.kinesis.v1.SubscribeToShardEvent;
import fabric.kinesis.v1.SubscribeToShardRequest;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TEST ONLY: a throwaway in-memory Kinesis service so that the benchmark client can be
 * checked end to end without a cluster. It implements just the calls the benchmark makes,
 * with none of the real semantics (shards picked by the partition key's hash code, iterators
 * "shard:index", no limits), and must never be used outside KinesisBenchEndToEndTest: its
 * numbers say nothing about fabric.
 */
final class InMemoryKinesisForBenchTest extends KinesisGrpc.KinesisImplBase
    implements AutoCloseable {
  private final Map<String, List<List<Record>>> streams = new ConcurrentHashMap<>();
  /** Subscriptions by "stream:shard"; pushed to under the shard's lock, in order. */
  private final Map<String, Set<ServerCallStreamObserver<SubscribeToShardEvent>>> subscribers =
      new ConcurrentHashMap<>();
  private final Server server;
  final AtomicInteger subscriptions = new AtomicInteger();
  final Set<Integer> batchSizes = ConcurrentHashMap.newKeySet();
  final Set<Integer> recordSizes = ConcurrentHashMap.newKeySet();
  final Set<Integer> getLimits = ConcurrentHashMap.newKeySet();
  final AtomicInteger created = new AtomicInteger();
  final AtomicInteger deleted = new AtomicInteger();
  final AtomicInteger shardCount = new AtomicInteger();

  InMemoryKinesisForBenchTest() throws IOException {
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(this).build().start();
  }

  String target() {
    return "127.0.0.1:" + server.getPort();
  }

  @Override
  public void listStreams(ListStreamsRequest request,
      StreamObserver<ListStreamsResponse> out) {
    out.onNext(ListStreamsResponse.newBuilder().addAllStreamNames(streams.keySet()).build());
    out.onCompleted();
  }

  @Override
  public void createStream(CreateStreamRequest request,
      StreamObserver<CreateStreamResponse> out) {
    List<List<Record>> shards = new ArrayList<>();
    for (int i = 0; i < request.getShardCount(); i++) {
      shards.add(new ArrayList<>());
    }
    streams.put(request.getStreamName(), shards);
    created.incrementAndGet();
    shardCount.set(request.getShardCount());
    out.onNext(CreateStreamResponse.getDefaultInstance());
    out.onCompleted();
  }

  @Override
  public void describeStreamSummary(DescribeStreamSummaryRequest request,
      StreamObserver<DescribeStreamSummaryResponse> out) {
    out.onNext(DescribeStreamSummaryResponse.newBuilder().setStreamDescriptionSummary(
        StreamDescriptionSummary.newBuilder().setStreamName(request.getStreamName())
            .setStreamArn("arn:fake:stream/" + request.getStreamName())
            .setStreamStatus("ACTIVE")).build());
    out.onCompleted();
  }

  @Override
  public void listShards(ListShardsRequest request, StreamObserver<ListShardsResponse> out) {
    ListShardsResponse.Builder r = ListShardsResponse.newBuilder();
    for (int i = 0; i < streams.get(request.getStreamName()).size(); i++) {
      r.addShards(Shard.newBuilder().setShardId(String.format("shardId-%012d", i)));
    }
    out.onNext(r.build());
    out.onCompleted();
  }

  @Override
  public void deleteStream(DeleteStreamRequest request,
      StreamObserver<DeleteStreamResponse> out) {
    streams.remove(request.getStreamName());
    deleted.incrementAndGet();
    out.onNext(DeleteStreamResponse.getDefaultInstance());
    out.onCompleted();
  }

  @Override
  public void putRecords(PutRecordsRequest request, StreamObserver<PutRecordsResponse> out) {
    List<List<Record>> shards = streams.get(request.getStreamName());
    batchSizes.add(request.getRecordsCount());
    PutRecordsResponse.Builder r = PutRecordsResponse.newBuilder();
    for (PutRecordsRequestEntry e : request.getRecordsList()) {
      recordSizes.add(e.getData().size());
      int shard = Math.floorMod(e.getPartitionKey().hashCode(), shards.size());
      List<Record> records = shards.get(shard);
      synchronized (records) {
        String seq = Integer.toString(records.size());
        records.add(Record.newBuilder().setSequenceNumber(seq).setData(e.getData())
            .setPartitionKey(e.getPartitionKey()).build());
        r.addRecords(PutRecordsResultEntry.newBuilder().setSequenceNumber(seq)
            .setShardId(String.format("shardId-%012d", shard)));
        for (var s : subscribers.getOrDefault(request.getStreamName() + ":" + shard,
            Set.of())) {
          synchronized (s) {
            s.onNext(SubscribeToShardEvent.newBuilder().addRecords(records.get(
                records.size() - 1)).setContinuationSequenceNumber(seq).build());
          }
        }
      }
    }
    out.onNext(r.build());
    out.onCompleted();
  }

  @Override
  public void getShardIterator(GetShardIteratorRequest request,
      StreamObserver<GetShardIteratorResponse> out) {
    int shard = Integer.parseInt(request.getShardId().substring("shardId-".length()));
    out.onNext(GetShardIteratorResponse.newBuilder().setShardIterator(
        request.getStreamName() + ":" + shard + ":0").build());
    out.onCompleted();
  }

  @Override
  public void getRecords(GetRecordsRequest request, StreamObserver<GetRecordsResponse> out) {
    String[] it = request.getShardIterator().split(":");
    List<List<Record>> shards = streams.get(it[0]);
    if (shards == null) {
      out.onError(Status.NOT_FOUND.asRuntimeException());
      return;
    }
    getLimits.add(request.getLimit());
    List<Record> records = shards.get(Integer.parseInt(it[1]));
    int from = Integer.parseInt(it[2]);
    GetRecordsResponse.Builder r = GetRecordsResponse.newBuilder();
    synchronized (records) {
      int to = Math.min(records.size(), from + request.getLimit());
      r.addAllRecords(records.subList(from, to));
      r.setNextShardIterator(it[0] + ":" + it[1] + ":" + to);
      r.setMillisBehindLatest(to < records.size() ? 1 : 0);
    }
    out.onNext(r.build());
    out.onCompleted();
  }

  @Override
  public void registerStreamConsumer(RegisterStreamConsumerRequest request,
      StreamObserver<RegisterStreamConsumerResponse> out) {
    out.onNext(RegisterStreamConsumerResponse.newBuilder().setConsumer(Consumer.newBuilder()
        .setConsumerName(request.getConsumerName()).setConsumerStatus("CREATING")
        .setConsumerArn(request.getStreamArn() + "/consumer/" + request.getConsumerName()))
        .build());
    out.onCompleted();
  }

  @Override
  public void describeStreamConsumer(DescribeStreamConsumerRequest request,
      StreamObserver<DescribeStreamConsumerResponse> out) {
    out.onNext(DescribeStreamConsumerResponse.newBuilder().setConsumerDescription(
        ConsumerDescription.newBuilder().setConsumerArn(request.getConsumerArn())
            .setConsumerStatus("ACTIVE")).build());
    out.onCompleted();
  }

  /** From LATEST only (what the benchmark asks for): an empty event, then pushed records. */
  @Override
  public void subscribeToShard(SubscribeToShardRequest request,
      StreamObserver<SubscribeToShardEvent> out) {
    String arn = request.getConsumerArn();
    String stream = arn.substring("arn:fake:stream/".length(), arn.indexOf("/consumer/"));
    int shard = Integer.parseInt(request.getShardId().substring("shardId-".length()));
    var call = (ServerCallStreamObserver<SubscribeToShardEvent>) out;
    String key = stream + ":" + shard;
    List<Record> records = streams.get(stream).get(shard);
    synchronized (records) {
      synchronized (call) {
        call.onNext(SubscribeToShardEvent.getDefaultInstance());
      }
      subscribers.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(call);
    }
    call.setOnCancelHandler(() -> subscribers.get(key).remove(call));
    subscriptions.incrementAndGet();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }
}
