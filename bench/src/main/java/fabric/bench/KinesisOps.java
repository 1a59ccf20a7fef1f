package fabric.bench;

import com.google.protobuf.ByteString;
import fabric.kinesis.v1.CreateStreamRequest;
import fabric.kinesis.v1.DescribeStreamConsumerRequest;
import fabric.kinesis.v1.DeleteStreamRequest;
import fabric.kinesis.v1.DescribeStreamSummaryRequest;
import fabric.kinesis.v1.GetRecordsRequest;
import fabric.kinesis.v1.GetRecordsResponse;
import fabric.kinesis.v1.GetShardIteratorRequest;
import fabric.kinesis.v1.KinesisGrpc;
import fabric.kinesis.v1.ListShardsRequest;
import fabric.kinesis.v1.ListStreamsRequest;
import fabric.kinesis.v1.PutRecordsRequest;
import fabric.kinesis.v1.PutRecordsRequestEntry;
import fabric.kinesis.v1.PutRecordsResponse;
import fabric.kinesis.v1.PutRecordsResultEntry;
import fabric.kinesis.v1.RegisterStreamConsumerRequest;
import fabric.kinesis.v1.Shard;
import fabric.kinesis.v1.StartingPosition;
import fabric.kinesis.v1.SubscribeToShardEvent;
import fabric.kinesis.v1.SubscribeToShardRequest;
import io.grpc.stub.StreamObserver;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Kinesis calls the benchmark makes, on one channel. Every call is blocking (one worker
 * thread = one call in flight) and every failure of the whole call surfaces as a
 * {@link StatusRuntimeException}; PutRecords' per-record failures are in its response.
 */
final class KinesisOps {
  private final KinesisGrpc.KinesisBlockingStub blocking;
  private final KinesisGrpc.KinesisStub async;
  private final long timeoutNanos;

  KinesisOps(Channel channel, Duration opTimeout) {
    this.blocking = KinesisGrpc.newBlockingStub(channel);
    this.async = KinesisGrpc.newStub(channel);
    this.timeoutNanos = opTimeout.toNanos();
  }

  private KinesisGrpc.KinesisBlockingStub stub() {
    return blocking.withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS);
  }

  /** A cheap read, to check that the target answers before the run starts. */
  void ping(Duration timeout) {
    blocking.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .listStreams(ListStreamsRequest.newBuilder().setLimit(1).build());
  }

  void createStream(String name, int shards, Duration timeout) {
    blocking.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .createStream(CreateStreamRequest.newBuilder().setStreamName(name)
            .setShardCount(shards).build());
  }

  String streamStatus(String name, Duration timeout) {
    return blocking.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .describeStreamSummary(DescribeStreamSummaryRequest.newBuilder().setStreamName(name)
            .build()).getStreamDescriptionSummary().getStreamStatus();
  }

  List<String> shardIds(String name) {
    return stub().listShards(ListShardsRequest.newBuilder().setStreamName(name).build())
        .getShardsList().stream().map(Shard::getShardId).toList();
  }

  /** Deletes the stream and its consumers (the subscribe phase registers one). */
  void deleteStream(String name) {
    stub().deleteStream(DeleteStreamRequest.newBuilder().setStreamName(name)
        .setEnforceConsumerDeletion(true).build());
  }

  /** RegisterStreamConsumer: the consumer's ARN (CREATING for a moment, then ACTIVE). */
  String registerConsumer(String stream, String consumer) {
    String streamArn = stub().describeStreamSummary(DescribeStreamSummaryRequest.newBuilder()
        .setStreamName(stream).build()).getStreamDescriptionSummary().getStreamArn();
    return stub().registerStreamConsumer(RegisterStreamConsumerRequest.newBuilder()
        .setStreamArn(streamArn).setConsumerName(consumer).build()).getConsumer()
        .getConsumerArn();
  }

  String consumerStatus(String consumerArn) {
    return stub().describeStreamConsumer(DescribeStreamConsumerRequest.newBuilder()
        .setConsumerArn(consumerArn).build()).getConsumerDescription().getConsumerStatus();
  }

  /** SubscribeToShard from LATEST, or after {@code afterSequenceNumber} when given; no
   *  deadline (a subscription lasts up to 5 minutes, the caller cancels it). */
  void subscribe(String consumerArn, String shardId, String afterSequenceNumber,
      StreamObserver<SubscribeToShardEvent> events) {
    StartingPosition.Builder position = StartingPosition.newBuilder();
    if (afterSequenceNumber == null || afterSequenceNumber.isEmpty()) {
      position.setType("LATEST");
    } else {
      position.setType("AFTER_SEQUENCE_NUMBER").setSequenceNumber(afterSequenceNumber);
    }
    async.subscribeToShard(SubscribeToShardRequest.newBuilder().setConsumerArn(consumerArn)
        .setShardId(shardId).setStartingPosition(position).build(), events);
  }

  /** Counts the records a PutRecords refused, by their error code ({@code entry:<code>}). */
  static void recordRefusedEntries(PutRecordsResponse r, OpStats stats) {
    if (r.getFailedRecordCount() == 0) {
      return;
    }
    for (PutRecordsResultEntry e : r.getRecordsList()) {
      if (!e.getErrorCode().isEmpty()) {
        stats.recordError("entry:" + e.getErrorCode(), e.getErrorMessage());
      }
    }
  }

  /** PutRecords of {@code data} under the partition keys {@code keys} (one each). */
  PutRecordsResponse putRecords(String stream, String[] keys, ByteString[] data) {
    PutRecordsRequest.Builder request = PutRecordsRequest.newBuilder().setStreamName(stream);
    for (int i = 0; i < keys.length; i++) {
      request.addRecords(PutRecordsRequestEntry.newBuilder().setPartitionKey(keys[i])
          .setData(data[i]));
    }
    return stub().putRecords(request.build());
  }

  String trimHorizon(String stream, String shardId) {
    return stub().getShardIterator(GetShardIteratorRequest.newBuilder().setStreamName(stream)
        .setShardId(shardId).setShardIteratorType("TRIM_HORIZON").build()).getShardIterator();
  }

  GetRecordsResponse getRecords(String iterator, int limit) {
    return stub().getRecords(GetRecordsRequest.newBuilder().setShardIterator(iterator)
        .setLimit(limit).build());
  }
}
