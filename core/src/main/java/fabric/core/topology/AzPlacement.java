package fabric.core.topology;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where shards (and so resource leaders) go, balanced over AZs first and over the nodes of
 * an AZ second, so that losing one AZ takes away about 1/n of the leaders and none of the
 * AZs is left without any. Pure: the allocation strategy feeds it the current allocation.
 */
public final class AzPlacement {
  private AzPlacement() {}

  /** A shard region (one per node) and the AZ of its node. */
  public record Region<R>(R ref, String az, String address) {}

  /** The region for a new shard: least loaded AZ, then least loaded region in it. */
  public static <R> Region<R> allocate(Map<Region<R>, Integer> shardsPerRegion) {
    if (shardsPerRegion.isEmpty()) {
      throw new IllegalArgumentException("no region to allocate to");
    }
    Map<String, Integer> perAz = shardsPerAz(shardsPerRegion);
    return shardsPerRegion.keySet().stream()
        .min(Comparator.<Region<R>>comparingInt(r -> perAz.get(r.az()))
            .thenComparing(Region::az)
            .thenComparingInt(shardsPerRegion::get)
            .thenComparing(Region::address))
        .orElseThrow();
  }

  /**
   * The region to take one shard from, if AZs are out of balance by more than one shard:
   * the most loaded region of the most loaded AZ. One shard per round keeps hand-offs small.
   */
  public static <R> Optional<Region<R>> rebalanceFrom(Map<Region<R>, Integer> shardsPerRegion) {
    Map<String, Integer> perAz = shardsPerAz(shardsPerRegion);
    if (perAz.size() < 2) {
      return Optional.empty();
    }
    int most = perAz.values().stream().max(Integer::compare).orElseThrow();
    int least = perAz.values().stream().min(Integer::compare).orElseThrow();
    if (most - least <= 1) {
      return Optional.empty();
    }
    return shardsPerRegion.keySet().stream()
        .filter(r -> perAz.get(r.az()) == most)
        .max(Comparator.<Region<R>>comparingInt(shardsPerRegion::get)
            .thenComparing(Region::address));
  }

  private static <R> Map<String, Integer> shardsPerAz(Map<Region<R>, Integer> shardsPerRegion) {
    Map<String, Integer> perAz = new HashMap<>();
    shardsPerRegion.forEach((region, n) -> perAz.merge(region.az(), n, Integer::sum));
    return perAz;
  }
}
