package fabric.kinesis.stream;

import fabric.core.serialization.CborSerializable;
import java.util.List;
import java.util.Map;

/** What a stream journals. */
public sealed interface StreamEvent extends CborSerializable {
  record Created(String arn, String mode, int retentionHours, List<StreamShard> shards,
      Map<String, String> tags, long atMillis) implements StreamEvent {}

  record Activated(long atMillis) implements StreamEvent {}

  record Deleted(long atMillis) implements StreamEvent {}

  record RetentionChanged(int retentionHours) implements StreamEvent {}

  record ModeChanged(String mode) implements StreamEvent {}

  record TagsChanged(Map<String, String> tags) implements StreamEvent {}

  /** A split or merge began: {@code opening} joined the map; {@code closing} close next. */
  record ReshardStarted(List<String> closing, List<StreamShard> opening, long atMillis)
      implements StreamEvent {}

  /** A shard of the reshard closed at its last record. */
  record ShardClosed(String shardId, long lastRecordNumber, long atMillis)
      implements StreamEvent {}

  /** Every shard the reshard closes is closed: ACTIVE again. */
  record ReshardFinished(long atMillis) implements StreamEvent {}

  /** Closed shards whose records all expired leave the listing. */
  record ShardsExpired(List<String> shardIds) implements StreamEvent {}

  /** An UpdateShardCount call was accepted (its steps follow as ReshardStarted...). */
  record ScalingStarted(long atMillis) implements StreamEvent {}

  record ConsumerRegistered(Consumer consumer) implements StreamEvent {}

  record ConsumerActivated(String name) implements StreamEvent {}

  record ConsumerDeregistered(String name) implements StreamEvent {}
}
