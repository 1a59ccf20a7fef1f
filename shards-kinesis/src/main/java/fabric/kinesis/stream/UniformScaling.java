package fabric.kinesis.stream;

import fabric.kinesis.model.HashKeys;
import java.math.BigInteger;
import java.util.Comparator;
import java.util.List;

/**
 * UpdateShardCount's UNIFORM_SCALING as AWS does it: a series of SplitShard and MergeShards,
 * so every shard keeps at most two parents and readers follow lineage exactly as after a
 * manual reshard. Pure: given the open shards, the next step towards
 * {@link HashKeys#uniform} of the target, or null once there. Recomputed from the stream's
 * map before every step, so a series cut short (its driver died, another reshard came in
 * between) resumes from wherever the map is.
 *
 * <p>The target ranges are walked from the lowest: the shards covering the current one are
 * merged pairwise first, and a shard reaching past its end is split at the next range's
 * start, so the open count is never more than one above the larger of the current and the
 * target count.
 */
public final class UniformScaling {
  private UniformScaling() {}

  /** A step: split {@code shardId} at {@code newStartingHashKey}, or merge two shards. */
  public sealed interface Step {}

  public record Split(String shardId, String newStartingHashKey) implements Step {}

  public record Merge(String shardId, String adjacentShardId) implements Step {}

  /** Steps a series from {@code open} to {@code target} shards takes at most: every split
   *  adds a boundary of the target, every merge removes one of the original shards. */
  public static int maxSteps(int open, int target) {
    return open + target;
  }

  /** @param open the stream's open shards (covering every hash key, in any order) */
  public static Step next(List<StreamShard> open, int target) {
    List<StreamShard> sorted = open.stream()
        .sorted(Comparator.comparing(s -> s.range().start())).toList();
    int i = 0;
    for (HashKeys.Range goal : HashKeys.uniform(target)) {
      int j = i;
      while (j < sorted.size() && sorted.get(j).range().start().compareTo(goal.end()) <= 0) {
        j++;
      }
      List<StreamShard> cover = sorted.subList(i, j);
      if (cover.size() >= 2 && cover.get(1).range().end().compareTo(goal.end()) <= 0) {
        return new Merge(cover.get(0).shardId(), cover.get(1).shardId());
      }
      StreamShard last = cover.get(cover.size() - 1);
      if (last.range().end().compareTo(goal.end()) > 0) {
        return new Split(last.shardId(), goal.end().add(BigInteger.ONE).toString());
      }
      i = j; // exactly one shard over exactly this range
    }
    return null;
  }
}
