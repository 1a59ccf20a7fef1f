package fabric.kinesis.service;

import fabric.kinesis.model.KinesisErrors;
import fabric.kinesis.stream.StreamCommand;
import fabric.kinesis.stream.StreamState;
import fabric.kinesis.stream.UniformScaling;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * UpdateShardCount (UNIFORM_SCALING as a series of splits and merges, {@link UniformScaling})
 * and DescribeLimits. UpdateShardCount is refused past the account's shard quota
 * ({@link AccountShards}) and past 10 calls per rolling 24 hours per stream (counted in the
 * stream entity). UpdateShardCount answers once the stream has the target count (AWS
 * answers at once and finishes in the background): the steps are driven by this call, each
 * one a whole SplitShard/MergeShards, so a series whose driver died leaves a stream ACTIVE
 * between the two counts, and the same call again finishes it.
 */
public final class KinesisScaling {
  private static final Logger log = LoggerFactory.getLogger(KinesisScaling.class);
  /** AWS: an account may have 50 on-demand streams (a soft quota; not enforced here yet). */
  public static final int ON_DEMAND_STREAM_LIMIT = 50;
  private final KinesisService kinesis;

  public KinesisScaling(KinesisService kinesis) {
    this.kinesis = kinesis;
  }

  /** UpdateShardCount's answer. */
  public record ShardCount(StreamState stream, int currentShardCount, int targetShardCount) {}

  public CompletionStage<ShardCount> updateShardCount(StreamId id, int target,
      String scalingType) {
    if (!"UNIFORM_SCALING".equals(scalingType)) {
      throw KinesisErrors.ValidationException.exception("1 validation error detected: Value '"
          + scalingType + "' at 'scalingType' failed to satisfy constraint: Member must "
          + "satisfy enum value set: [UNIFORM_SCALING]");
    }
    if (target < 1) {
      throw KinesisErrors.ValidationException.exception("1 validation error detected: Value '"
          + target + "' at 'targetShardCount' failed to satisfy constraint: Member must have "
          + "value greater than or equal to 1");
    }
    return kinesis.describe(id).thenCompose(stream -> {
      int current = (int) stream.openShardCount();
      if (!"PROVISIONED".equals(stream.mode())) {
        throw KinesisErrors.ValidationException.exception("UpdateShardCount is only "
            + "supported for streams in PROVISIONED mode; stream " + id.name()
            + " is " + stream.mode() + ".");
      }
      if (!StreamState.ACTIVE.equals(stream.status())) {
        throw KinesisErrors.ResourceInUseException.exception("Stream " + id.name()
            + " under account " + id.account() + " not ACTIVE, instead in state "
            + stream.status());
      }
      if (target > 2 * current) {
        throw KinesisErrors.invalid("UpdateShardCount cannot scale up over double your "
            + "current open shard count. Current open shard count: " + current
            + " Target shard count: " + target);
      }
      if (2 * target < current) {
        throw KinesisErrors.invalid("UpdateShardCount cannot scale down below half your "
            + "current open shard count. Current open shard count: " + current
            + " Target shard count: " + target);
      }
      CompletionStage<?> quota = target > current
          ? AccountShards.reserve(kinesis, id.account(), target - current,
              "UpdateShardCount of stream " + id.name() + " to " + target)
          : CompletableFuture.completedFuture(null);
      // Counted once the call is known to be valid and within the quota, before any step:
      // a series cut short still counts, as an accepted call does at AWS.
      return quota.thenCompose(q -> kinesis.ask(id, r -> new StreamCommand.StartScaling(
          kinesis.clock().millis(), r))).thenCompose(counted -> {
            log.info("stream {}: scaling from {} to {} shards", id.entityId(), current,
                target);
            return steps(id, counted, target, UniformScaling.maxSteps(current, target))
                .thenApply(s -> new ShardCount(s, current, target));
          });
    });
  }

  private CompletionStage<StreamState> steps(StreamId id, StreamState stream, int target,
      int left) {
    UniformScaling.Step step = UniformScaling.next(
        stream.shards().stream().filter(s -> s.open()).toList(), target);
    if (step == null) {
      return CompletableFuture.completedFuture(stream);
    }
    if (left == 0) { // only if the map changed under the series: the caller may call again
      throw KinesisErrors.ResourceInUseException.exception("Stream " + id.name()
          + " was resharded by another request while scaling; call UpdateShardCount again.");
    }
    CompletionStage<StreamState> done = step instanceof UniformScaling.Split split
        ? Reshard.split(kinesis, id, split.shardId(), split.newStartingHashKey())
        : Reshard.merge(kinesis, id, ((UniformScaling.Merge) step).shardId(),
            ((UniformScaling.Merge) step).adjacentShardId());
    return done.thenCompose(s -> steps(id, s, target, left - 1));
  }

  /** DescribeLimits: the shard quota and what the account's streams in this region use. */
  public record Limits(int shardLimit, int openShardCount, int onDemandStreamCount,
      int onDemandStreamCountLimit) {}

  public CompletionStage<Limits> describeLimits(String account) {
    return AccountShards.usage(kinesis, account).thenApply(u -> new Limits(
        kinesis.settings().maxOpenShards(), u.openShards(), u.onDemandStreams(),
        ON_DEMAND_STREAM_LIMIT));
  }
}
