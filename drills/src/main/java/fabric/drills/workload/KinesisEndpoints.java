package fabric.drills.workload;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The nodes a Kinesis workload calls, in turn, skipping for a moment a node that just failed
 * a call (so that a dead node does not take every other call while it is down).
 */
final class KinesisEndpoints {
  private static final long AVOID_FAILED_NODE_MILLIS = 1_000;

  private final List<KinesisClient> endpoints;
  private final Map<String, Long> avoidUntil = new ConcurrentHashMap<>();
  private final AtomicLong next = new AtomicLong();

  KinesisEndpoints(List<KinesisClient> endpoints) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("no endpoints");
    }
    this.endpoints = List.copyOf(endpoints);
  }

  void avoid(KinesisClient endpoint) {
    avoidUntil.put(endpoint.nodeId(), System.currentTimeMillis() + AVOID_FAILED_NODE_MILLIS);
  }

  /** The next node in turn that did not just fail a call; any node if all did. */
  KinesisClient pick() {
    long now = System.currentTimeMillis();
    for (int attempt = 0; attempt < endpoints.size(); attempt++) {
      KinesisClient candidate = endpoints.get((int) (next.getAndIncrement() % endpoints.size()));
      if (avoidUntil.getOrDefault(candidate.nodeId(), 0L) <= now) {
        return candidate;
      }
    }
    return endpoints.get((int) (next.getAndIncrement() % endpoints.size()));
  }
}
