package fabric.node.management;

import fabric.core.replication.FollowerStatus;
import fabric.core.replication.ReplicationStatus;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;

/**
 * This node's metrics in Prometheus text format ({@code GET /metrics}). Follower lag is
 * read from {@link ReplicationStatus} at each scrape, one series per follower
 * (type, resource, AZ), so a resource that stops having a follower here stops reporting.
 */
public final class NodeMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ReplicationStatus replication;
  private final MultiGauge lagEvents;
  private final MultiGauge applyDelay;

  public NodeMetrics(ReplicationStatus replication, String nodeId, String az) {
    this.replication = replication;
    registry.config().commonTags("node", nodeId, "az", az);
    this.lagEvents = MultiGauge.builder("fabric.follower.lag.events")
        .description("Events the leader wrote that this node's follower has not applied")
        .register(registry);
    this.applyDelay = MultiGauge.builder("fabric.follower.apply.delay")
        .description("Leader journal commit to follower apply, for the last push")
        .baseUnit("milliseconds")
        .register(registry);
  }

  public String scrape() {
    List<FollowerStatus> followers = replication.followers();
    lagEvents.register(followers.stream().map(f -> MultiGauge.Row.of(tags(f), f.lagEvents()))
        .toList(), true);
    applyDelay.register(followers.stream()
        .map(f -> MultiGauge.Row.of(tags(f), f.lastApplyDelayMillis())).toList(), true);
    return registry.scrape();
  }

  private static Tags tags(FollowerStatus f) {
    return Tags.of("type", f.type(), "resource", f.resourceId(), "follower_az", f.az());
  }
}
