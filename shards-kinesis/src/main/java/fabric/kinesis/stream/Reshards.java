package fabric.kinesis.stream;

import fabric.core.entity.Outcome;
import fabric.kinesis.model.HashKeys;
import fabric.kinesis.model.KinesisErrors;
import fabric.kinesis.model.ShardIds;
import java.math.BigInteger;
import java.util.List;

/** SplitShard and MergeShards as Kinesis checks and lays them out. */
final class Reshards {
  private Reshards() {}

  private static StreamShard openShard(StreamState state, String shardId, String member) {
    ShardIds.indexOf(shardId, member);
    StreamShard shard = state.shard(shardId);
    if (shard == null) {
      throw KinesisErrors.ResourceNotFoundException.exception("Could not find shard "
          + shardId + " in stream " + state.name() + " under account "
          + StreamDefinition.account(state) + ".");
    }
    if (!shard.open()) {
      throw KinesisErrors.ResourceInUseException.exception("Shard " + shardId + " in stream "
          + state.name() + " under account " + StreamDefinition.account(state)
          + " has already been merged or split, and thus is not eligible for merging or "
          + "splitting.");
    }
    return shard;
  }

  /** Two children: [start, new - 1] and [new, end] of the parent's range. */
  static Outcome<StreamEvent, StreamState> split(StreamState state, StreamCommand.Split split,
      int maxOpenShards) {
    StreamShard parent = openShard(state, split.shardToSplit(), "shardToSplit");
    BigInteger at = HashKeys.parse(split.newStartingHashKey(), "newStartingHashKey");
    HashKeys.Range range = parent.range();
    if (at.compareTo(range.start()) <= 0 || at.compareTo(range.end()) > 0) {
      throw KinesisErrors.invalid("NewStartingHashKey " + at + " must be greater than the "
          + "shard's StartingHashKey " + range.start() + " and at most its EndingHashKey "
          + range.end() + ".");
    }
    if (state.openShardCount() + 1 > maxOpenShards) {
      throw KinesisErrors.LimitExceededException.exception("This request would exceed the "
          + "shard limit (" + maxOpenShards + " open shards).");
    }
    long next = state.nextShardIndex();
    StreamShard low = new StreamShard(ShardIds.of(next), range.start().toString(),
        at.subtract(BigInteger.ONE).toString(), parent.shardId(), null, split.nowMillis(), 0,
        -1);
    StreamShard high = new StreamShard(ShardIds.of(next + 1), at.toString(),
        range.end().toString(), parent.shardId(), null, split.nowMillis(), 0, -1);
    return Outcome.persist(new StreamEvent.ReshardStarted(List.of(parent.shardId()),
        List.of(low, high), split.nowMillis()), StreamReply.Description::new);
  }

  /** One child over both ranges, which must be adjacent. */
  static Outcome<StreamEvent, StreamState> merge(StreamState state, StreamCommand.Merge merge) {
    StreamShard a = openShard(state, merge.shardToMerge(), "shardToMerge");
    StreamShard b = openShard(state, merge.adjacentShardToMerge(), "adjacentShardToMerge");
    StreamShard lower = a.range().start().compareTo(b.range().start()) < 0 ? a : b;
    StreamShard upper = lower == a ? b : a;
    if (a == b || !lower.range().end().add(BigInteger.ONE).equals(upper.range().start())) {
      throw KinesisErrors.invalid("Shards " + a.shardId() + " and " + b.shardId() + " in "
          + "stream " + state.name() + " under account " + StreamDefinition.account(state)
          + " are not an adjacent pair of shards eligible for merging");
    }
    StreamShard child = new StreamShard(ShardIds.of(state.nextShardIndex()),
        lower.startingHashKey(), upper.endingHashKey(), a.shardId(), b.shardId(),
        merge.nowMillis(), 0, -1);
    return Outcome.persist(new StreamEvent.ReshardStarted(List.of(a.shardId(), b.shardId()),
        List.of(child), merge.nowMillis()), StreamReply.Description::new);
  }
}
