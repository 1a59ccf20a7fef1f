package fabric.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import fabric.core.topology.AzRoles;
import fabric.node.management.ClusterView;
import java.util.List;

/**
 * The Pekko configuration of one node, derived from its {@link NodeSettings}: cluster
 * membership with the AZ as a role, Split Brain Resolver, and the journal plugin.
 */
final class PekkoConfig {
  static final String SYSTEM_NAME = "fabric";
  static final String NODE_ROLE_PREFIX = ClusterView.NODE_ROLE_PREFIX;

  private PekkoConfig() {}

  static Config forNode(NodeSettings s, Config base) {
    List<String> seeds = (s.seedNodes().isEmpty()
        ? List.of(s.host() + ":" + s.remotingPort()) : s.seedNodes()).stream()
        .map(hp -> "pekko://" + SYSTEM_NAME + "@" + hp).toList();
    Config cluster = ConfigFactory.empty()
        .withValue("pekko.actor.provider", ConfigValueFactory.fromAnyRef("cluster"))
        .withValue("pekko.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(s.host()))
        .withValue("pekko.remote.artery.canonical.port",
            ConfigValueFactory.fromAnyRef(s.remotingPort()))
        .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(seeds))
        // 0 = bind where it advertises; else a proxy listens on the advertised port.
        .withValue("pekko.remote.artery.bind.port", ConfigValueFactory.fromAnyRef(
            base.getInt("fabric.node.remoting-bind-port") == 0 ? ""
                : Integer.toString(base.getInt("fabric.node.remoting-bind-port"))))
        // Roles carry what the cluster view shows of each member without asking it.
        .withValue("pekko.cluster.roles", ConfigValueFactory.fromIterable(List.of(
            AzRoles.roleFor(s.location().az()), NODE_ROLE_PREFIX + s.location().nodeId(),
            ClusterView.GRPC_PORT_ROLE_PREFIX + s.grpcPort(),
            ClusterView.MANAGEMENT_PORT_ROLE_PREFIX + s.managementPort(),
            ClusterView.PID_ROLE_PREFIX + ProcessHandle.current().pid())))
        .withValue("pekko.cluster.failure-detector.acceptable-heartbeat-pause",
            ConfigValueFactory.fromAnyRef(s.acceptableHeartbeatPause().toMillis() + "ms"))
        .withValue("pekko.cluster.split-brain-resolver.stable-after",
            ConfigValueFactory.fromAnyRef(s.stableAfter().toMillis() + "ms"))
        .withValue("pekko.cluster.failure-detector.heartbeat-interval", ConfigValueFactory
            .fromAnyRef(base.getDuration("fabric.node.failure-detector.heartbeat-interval")
                .toMillis() + "ms"))
        .withValue("pekko.cluster.down-removal-margin", ConfigValueFactory.fromAnyRef(
            base.getDuration("fabric.node.down-removal-margin").toMillis() + "ms"))
        // Leader epochs live beside the journal; the node registers the store (FabricNode).
        .withValue("fabric.leader-epochs.store", ConfigValueFactory.fromAnyRef("external"))
        // Both journal plugins inherit the fallback's replay filter.
        .withValue("pekko.persistence.journal-plugin-fallback.replay-filter.mode",
            ConfigValueFactory.fromAnyRef(replayFilter(base)))
        // A node downed by the Split Brain Resolver (or one that cannot join within
        // shutdown-after-unsuccessful-join-seed-nodes) runs CoordinatedShutdown; in a process
        // of its own it must then exit (code -1 for those reasons) so that its supervisor
        // starts a fresh incarnation. Never where several nodes share a JVM.
        .withValue("pekko.coordinated-shutdown.exit-jvm",
            ConfigValueFactory.fromAnyRef(s.exitJvmWhenDown() ? "on" : "off"));
    Config journal = s.journal() == NodeSettings.Journal.EMBEDDED
        ? EmbeddedJournal.config(s.dataDir())
        : CassandraJournal.config(s.cassandra());
    return cluster.withFallback(journal).withFallback(FIXED).withFallback(base).resolve();
  }

  private static String replayFilter(Config base) {
    String mode = base.getString("fabric.node.replay-filter");
    if (!List.of("fail", "warn", "repair-by-discard-old", "off").contains(mode)) {
      throw new IllegalArgumentException("fabric.node.replay-filter must be fail, warn, "
          + "repair-by-discard-old or off, got '" + mode + "'");
    }
    return mode;
  }

  private static final Config FIXED = ConfigFactory.parseString("""
      pekko {
        loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
        logging-filter = "org.apache.pekko.event.slf4j.Slf4jLoggingFilter"
        loglevel = INFO
        log-dead-letters = off
        log-dead-letters-during-shutdown = off
        cluster {
          # Without a downing provider a crashed node is never removed and its shards
          # never move: no failover at all.
          downing-provider-class = "org.apache.pekko.cluster.sbr.SplitBrainResolverProvider"
          split-brain-resolver.active-strategy = keep-majority
          shutdown-after-unsuccessful-join-seed-nodes = 60s
          # Faster than the 1 s defaults, so that unreachability is noticed, and a downed
          # member removed, within half a second of being due (docs/failover.md).
          unreachable-nodes-reaper-interval = 500ms
          leader-actions-interval = 500ms
          gossip-interval = 500ms
          sharding {
            # Entities restart on their new node when a message arrives; a shard hand-off
            # on graceful leave takes milliseconds.
            passivation.default-idle-strategy.idle-entity.timeout = 10 minutes
          }
          jmx.multi-mbeans-in-same-jvm = on
        }
        # coordinated-shutdown.exit-jvm comes from fabric.node.exit-jvm-when-down (above):
        # off where several nodes share a JVM (./fabric up, tests), on in node processes.
        # terminate() alone must not leave the cluster: that is how an in-JVM test crashes a
        # node. Graceful stops run CoordinatedShutdown explicitly (FabricNode.stop, SIGTERM).
        coordinated-shutdown.run-by-actor-system-terminate = off
        remote.artery.advanced.maximum-frame-size = 2MiB
        # Several nodes share one JVM (and few cores) in the embedded mode: small pools keep
        # thread switching, not work, from dominating a request's cost.
        actor.default-dispatcher.fork-join-executor {
          parallelism-min = 2
          parallelism-factor = 1.0
          parallelism-max = 4
        }
        actor.internal-dispatcher.fork-join-executor {
          parallelism-min = 2
          parallelism-max = 2
        }
      }
      """);
}
