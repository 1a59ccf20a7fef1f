package fabric.core.topology;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Which shard regions are still warming up: seen by the allocation strategy for less than
 * {@link #WARM_UP}. A node restarted right after a crash often rejoins before the crashed
 * incarnation's shards are reallocated; as the emptiest region it would get them all, and
 * its cold JVM recovered a bucket in 2.2 s where a warm node takes ~0.2 s (measured in the
 * kill drill). So new shards avoid warming regions while a warm one exists, and no rebalance
 * runs until every region is warm (it would move shards to a cold node, or back and forth).
 * Regions seen within {@link #WARM_UP} of the first one are the cluster forming (or a new
 * coordinator taking over): they count as warm at once, since none of them is warmer.
 *
 * @param <R> the region handle (an ActorRef in production)
 */
final class RegionWarmUp<R> {
  static final Duration WARM_UP = Duration.ofSeconds(10);

  private final LongSupplier nanoClock;
  private final Map<R, Long> firstSeenNanos = new HashMap<>();
  /** When the first region was seen (valid once formed). */
  private long formedNanos;
  private boolean formed;

  RegionWarmUp(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /** Records the regions present now (forgetting the rest) and returns the warm ones. */
  synchronized Set<R> warm(Set<R> present) {
    long now = nanoClock.getAsLong();
    if (!formed && !present.isEmpty()) {
      formed = true;
      formedNanos = now;
    }
    firstSeenNanos.keySet().retainAll(present);
    for (R r : present) {
      firstSeenNanos.putIfAbsent(r, now);
    }
    return present.stream()
        .filter(r -> firstSeenNanos.get(r) - formedNanos < WARM_UP.toNanos()
            || now - firstSeenNanos.get(r) >= WARM_UP.toNanos())
        .collect(Collectors.toSet());
  }
}
