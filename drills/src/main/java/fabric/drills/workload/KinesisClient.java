package fabric.drills.workload;

import fabric.drills.cluster.FabricCluster;
import fabric.drills.workload.SqsClient.Failed;
import fabric.drills.workload.SqsClient.Ok;
import fabric.drills.workload.SqsClient.Result;
import fabric.drills.workload.SqsClient.Unknown;
import fabric.kinesis.v1.CreateStreamRequest;
import fabric.kinesis.v1.DescribeStreamRequest;
import fabric.kinesis.v1.GetRecordsRequest;
import fabric.kinesis.v1.GetRecordsResponse;
import fabric.kinesis.v1.GetShardIteratorRequest;
import fabric.kinesis.v1.KinesisGrpc;
import fabric.kinesis.v1.ListShardsRequest;
import fabric.kinesis.v1.ListShardsResponse;
import fabric.kinesis.v1.PutRecordsRequest;
import fabric.kinesis.v1.PutRecordsRequestEntry;
import fabric.kinesis.v1.PutRecordsResultEntry;
import fabric.kinesis.v1.Shard;
import fabric.kinesis.v1.StreamDescription;
import fabric.kinesis.v1.UpdateShardCountRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Kinesis Data Streams over the fabric's gRPC API on one node, as the drill's clients use it:
 * the generated stub with the caller's account in the {@code x-fabric-account-id} header,
 * every answer sorted into a value, a definite refusal or an unknown outcome (the same
 * {@link Result} as {@link SqsClient}).
 */
public final class KinesisClient implements AutoCloseable {
  /** What AWS answers for a record or a read the shard's limits refused: it did nothing. */
  public static final String THROTTLED = "ProvisionedThroughputExceededException";

  private final FabricCluster.Node node;
  private final ManagedChannel channel;
  private final KinesisGrpc.KinesisBlockingStub stub;
  private final long deadlineMillis;

  /** A stream as DescribeStream shows it: its creation time names its shards' entities. */
  public record StreamInfo(String status, long createdMillis, List<String> shardIds) {}

  /** One record of a PutRecords: a shard and sequence number, or an AWS error code. */
  public record PutResult(String shardId, String sequenceNumber, String errorCode) {}

  /** A record GetRecords returned. */
  public record Read(String sequenceNumber, String partitionKey, String data) {}

  /**
   * A GetRecords page: the next iterator ("" at a closed shard's end) and, at that end, the
   * shard's children.
   */
  public record Page(List<Read> records, String nextIterator, long millisBehindLatest,
      List<ChildShard> childShards) {}

  /** A child of a closed shard, as GetRecords names it at the parent's end. */
  public record ChildShard(String shardId, List<String> parentShards) {}

  /**
   * A shard as ListShards shows it: its parents ("" for none) and whether it is closed (an
   * ending sequence number).
   */
  public record ShardInfo(String shardId, String parent, String adjacentParent,
      boolean closed) {}

  /** Shards one ListShards walk reads at most (AWS's 10,000 open shards a stream, and the
   *  closed ones a drill's few reshards leave). */
  static final int MAX_LISTED_SHARDS = 20_000;

  public KinesisClient(FabricCluster.Node node, String account, long deadlineMillis) {
    this.node = node;
    this.deadlineMillis = deadlineMillis;
    this.channel = NettyChannelBuilder.forAddress(node.host(), node.grpcPort()).usePlaintext()
        .build();
    Metadata headers = new Metadata();
    headers.put(SqsClient.ACCOUNT_HEADER, account);
    this.stub = KinesisGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  public String nodeId() {
    return node.id();
  }

  private KinesisGrpc.KinesisBlockingStub call() {
    return stub.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS);
  }

  /** CreateStream (PROVISIONED); ResourceInUseException, a retry's, counts as created. */
  public Result<Void> createStream(String stream, int shards) {
    try {
      call().createStream(CreateStreamRequest.newBuilder().setStreamName(stream)
          .setShardCount(shards).build());
      return new Ok<>(null);
    } catch (StatusRuntimeException e) {
      return "ResourceInUseException".equals(SqsClient.awsCode(e)) ? new Ok<>(null)
          : classify(e);
    }
  }

  public Result<StreamInfo> describe(String stream) {
    try {
      StreamDescription d = call().describeStream(DescribeStreamRequest.newBuilder()
          .setStreamName(stream).build()).getStreamDescription();
      return new Ok<>(new StreamInfo(d.getStreamStatus(),
          Math.round(d.getStreamCreationTimestamp() * 1000),
          d.getShardsList().stream().map(Shard::getShardId).toList()));
    } catch (StatusRuntimeException e) {
      return classify(e);
    }
  }

  /** PutRecords of {@code records} ({partition key, data} each): per-record results. */
  public Result<List<PutResult>> putRecords(String stream, List<String[]> records) {
    PutRecordsRequest.Builder request = PutRecordsRequest.newBuilder().setStreamName(stream);
    for (String[] r : records) {
      request.addRecords(PutRecordsRequestEntry.newBuilder().setPartitionKey(r[0])
          .setData(ByteString.copyFromUtf8(r[1])));
    }
    try {
      List<PutResult> out = new ArrayList<>();
      for (PutRecordsResultEntry e : call().putRecords(request.build()).getRecordsList()) {
        out.add(new PutResult(e.getShardId(), e.getSequenceNumber(), e.getErrorCode()));
      }
      return new Ok<>(out);
    } catch (StatusRuntimeException e) {
      return classify(e);
    }
  }

  /** GetShardIterator: TRIM_HORIZON when {@code afterSequenceNumber} is null. */
  public Result<String> shardIterator(String stream, String shardId,
      String afterSequenceNumber) {
    GetShardIteratorRequest.Builder request = GetShardIteratorRequest.newBuilder()
        .setStreamName(stream).setShardId(shardId);
    if (afterSequenceNumber == null) {
      request.setShardIteratorType("TRIM_HORIZON");
    } else {
      request.setShardIteratorType("AFTER_SEQUENCE_NUMBER")
          .setStartingSequenceNumber(afterSequenceNumber);
    }
    try {
      return new Ok<>(call().getShardIterator(request.build()).getShardIterator());
    } catch (StatusRuntimeException e) {
      return classify(e);
    }
  }

  public Result<Page> getRecords(String iterator, int limit) {
    try {
      GetRecordsResponse r = call().getRecords(GetRecordsRequest.newBuilder()
          .setShardIterator(iterator).setLimit(limit).build());
      List<Read> records = r.getRecordsList().stream().map(x -> new Read(
          x.getSequenceNumber(), x.getPartitionKey(), x.getData().toStringUtf8())).toList();
      List<ChildShard> children = r.getChildShardsList().stream()
          .map(c -> new ChildShard(c.getShardId(), List.copyOf(c.getParentShardsList())))
          .toList();
      return new Ok<>(new Page(records, r.getNextShardIterator(), r.getMillisBehindLatest(),
          children));
    } catch (StatusRuntimeException e) {
      return classify(e);
    }
  }

  /** Every shard of the stream, closed ones included, following ListShards' pages. */
  public Result<List<ShardInfo>> listShards(String stream) {
    List<ShardInfo> out = new ArrayList<>();
    ListShardsRequest request = ListShardsRequest.newBuilder().setStreamName(stream).build();
    try {
      while (true) {
        ListShardsResponse r = call().listShards(request);
        for (Shard s : r.getShardsList()) {
          out.add(new ShardInfo(s.getShardId(), s.getParentShardId(),
              s.getAdjacentParentShardId(),
              !s.getSequenceNumberRange().getEndingSequenceNumber().isEmpty()));
        }
        if (r.getNextToken().isEmpty()) {
          return new Ok<>(out);
        }
        if (out.size() > MAX_LISTED_SHARDS) {
          return new Failed<>(node.id() + ": more than " + MAX_LISTED_SHARDS + " shards");
        }
        request = ListShardsRequest.newBuilder().setNextToken(r.getNextToken()).build();
      }
    } catch (StatusRuntimeException e) {
      return classify(e);
    }
  }

  /**
   * UpdateShardCount UNIFORM_SCALING to {@code target} open shards, waiting up to
   * {@code deadlineMillis} (the fabric answers once every split and merge is done, not at
   * once as AWS).
   */
  public Result<Integer> updateShardCount(String stream, int target, long deadlineMillis) {
    try {
      return new Ok<>(stub.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS)
          .updateShardCount(UpdateShardCountRequest.newBuilder().setStreamName(stream)
              .setTargetShardCount(target).setScalingType("UNIFORM_SCALING").build())
          .getCurrentShardCount());
    } catch (StatusRuntimeException e) {
      return classify(e);
    }
  }

  /**
   * Refusals that prove the request did nothing (throttling, the caller's mistake, a
   * missing stream, an expired iterator) are definite; unavailability, timeouts and
   * internal errors are not.
   */
  private <T> Result<T> classify(StatusRuntimeException e) {
    Status.Code code = e.getStatus().getCode();
    String aws = SqsClient.awsCode(e);
    String error = node.id() + ": " + code + (aws.isEmpty() ? "" : "/" + aws) + " "
        + e.getStatus().getDescription();
    boolean definite = code == Status.Code.INVALID_ARGUMENT || code == Status.Code.NOT_FOUND
        || code == Status.Code.ALREADY_EXISTS || code == Status.Code.PERMISSION_DENIED
        || code == Status.Code.FAILED_PRECONDITION || THROTTLED.equals(aws)
        || "ExpiredIteratorException".equals(aws);
    return definite ? new Failed<>(error) : new Unknown<>(error);
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
