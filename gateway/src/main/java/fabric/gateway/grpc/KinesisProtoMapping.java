package fabric.gateway.grpc;

import com.google.protobuf.ByteString;
import fabric.kinesis.model.SequenceNumbers;
import fabric.kinesis.service.KinesisReads;
import fabric.kinesis.stream.StreamShard;
import fabric.kinesis.stream.StreamState;
import fabric.kinesis.v1.ChildShard;
import fabric.kinesis.v1.Consumer;
import fabric.kinesis.v1.HashKeyRange;
import fabric.kinesis.v1.Record;
import fabric.kinesis.v1.SequenceNumberRange;
import fabric.kinesis.v1.Shard;
import fabric.kinesis.v1.StreamDescriptionSummary;
import fabric.kinesis.v1.StreamModeDetails;

/** Kinesis's entity views ↔ its gRPC messages. */
final class KinesisProtoMapping {
  private KinesisProtoMapping() {}

  static double seconds(long millis) {
    return millis / 1000.0;
  }

  static Shard shard(StreamShard s) {
    var range = SequenceNumberRange.newBuilder()
        .setStartingSequenceNumber(SequenceNumbers.format(0));
    if (!s.open()) {
      // A shard closed before its first record ends where it starts, as AWS shows it.
      range.setEndingSequenceNumber(SequenceNumbers.format(Math.max(0,
          s.endingRecordNumber())));
    }
    var b = Shard.newBuilder().setShardId(s.shardId())
        .setHashKeyRange(range(s)).setSequenceNumberRange(range);
    if (s.parentShardId() != null) {
      b.setParentShardId(s.parentShardId());
    }
    if (s.adjacentParentShardId() != null) {
      b.setAdjacentParentShardId(s.adjacentParentShardId());
    }
    return b.build();
  }

  static HashKeyRange range(StreamShard s) {
    return HashKeyRange.newBuilder().setStartingHashKey(s.startingHashKey())
        .setEndingHashKey(s.endingHashKey()).build();
  }

  static ChildShard child(StreamShard s) {
    var b = ChildShard.newBuilder().setShardId(s.shardId()).setHashKeyRange(range(s));
    if (s.parentShardId() != null) {
      b.addParentShards(s.parentShardId());
    }
    if (s.adjacentParentShardId() != null) {
      b.addParentShards(s.adjacentParentShardId());
    }
    return b.build();
  }

  static StreamModeDetails mode(StreamState s) {
    return StreamModeDetails.newBuilder().setStreamMode(s.mode()).build();
  }

  static StreamDescriptionSummary summary(StreamState s) {
    return StreamDescriptionSummary.newBuilder().setStreamName(s.name()).setStreamArn(s.arn())
        .setStreamStatus(s.status()).setStreamModeDetails(mode(s))
        .setRetentionPeriodHours(s.retentionHours())
        .setStreamCreationTimestamp(seconds(s.createdMillis())).setEncryptionType("NONE")
        .setOpenShardCount((int) s.openShardCount()).setConsumerCount(s.consumers().size())
        .build();
  }

  static Consumer consumer(fabric.kinesis.stream.Consumer c) {
    return Consumer.newBuilder().setConsumerName(c.name()).setConsumerArn(c.arn())
        .setConsumerStatus(c.status()).setConsumerCreationTimestamp(seconds(c.createdMillis()))
        .build();
  }

  static Record record(KinesisReads.Record r) {
    return Record.newBuilder().setSequenceNumber(r.sequenceNumber())
        .setApproximateArrivalTimestamp(seconds(r.arrivalMillis()))
        .setData(ByteString.copyFrom(r.data())).setPartitionKey(r.partitionKey())
        .setEncryptionType("NONE").build();
  }
}
