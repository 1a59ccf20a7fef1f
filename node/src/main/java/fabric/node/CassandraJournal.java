package fabric.node;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * The cluster journal: pekko-persistence-cassandra, its keyspaces created by
 * {@link CassandraSchema} with an explicit replication map (the plugin's auto-creation would
 * make SimpleStrategy RF 1, one copy in one AZ). Journal writes are at QUORUM (the plugin's
 * default), snapshots too (set here), so an acknowledged write survives the loss of one AZ.
 */
final class CassandraJournal {
  private CassandraJournal() {}

  static Config config(NodeSettings.CassandraSettings c) {
    return ConfigFactory.parseString("""
        fabric.journal.query-plugin = "pekko.persistence.cassandra.query"
        pekko.persistence {
          journal.plugin = "pekko.persistence.cassandra.journal"
          snapshot-store.plugin = "pekko.persistence.cassandra.snapshot"
          cassandra {
            # CassandraSchema creates keyspaces and tables, once, before the plugin starts:
            # the plugin's lazy auto-creation would run concurrently on every node, and
            # concurrent CREATE TABLEs can leave Cassandra with conflicting table ids.
            journal {
              keyspace-autocreate = false
              tables-autocreate = false
            }
            snapshot {
              keyspace-autocreate = false
              tables-autocreate = false
            }
            # No tag writes and no events-by-tag queries yet: keep the write path short.
            events-by-tag.enabled = false
          }
        }
        datastax-java-driver {
          advanced.reconnect-on-init = true
          basic.request.timeout = 10s
          # With one Cassandra data center per AZ the local DC may be a single node: when it
          # is down, QUORUM requests go to the other AZs' nodes instead of failing with
          # NoNodeAvailableException.
          advanced.load-balancing-policy.dc-failover.max-nodes-per-remote-dc = 1
          # The load balancer decides on that failover by the statement's consistency, and
          # the plugin's statements take theirs from a profile, so the balancer sees the
          # default profile's: it must not be a DC-local level (the driver's LOCAL_ONE), or
          # the journal never leaves a dead local DC (the disk-full drill found this: 60 s
          # outages while the AZ's Cassandra node was down).
          basic.request.consistency = QUORUM
          # Snapshots replace replaying history: they must survive an AZ loss too (the
          # plugin's default is ONE).
          profiles.pekko-persistence-cassandra-snapshot-profile.basic.request.consistency = QUORUM
        }
        """)
        .withValue("pekko.persistence.cassandra.journal.keyspace",
            ConfigValueFactory.fromAnyRef(c.keyspace()))
        .withValue("pekko.persistence.cassandra.snapshot.keyspace",
            ConfigValueFactory.fromAnyRef(c.keyspace() + "_snapshot"))
        .withValue("datastax-java-driver.basic.contact-points",
            ConfigValueFactory.fromIterable(c.contactPoints()))
        .withValue("datastax-java-driver.basic.load-balancing-policy.local-datacenter",
            ConfigValueFactory.fromAnyRef(c.localDatacenter()));
  }

  /** A driver session of our own (blob store, keyspace creation). */
  static CqlSession session(NodeSettings.CassandraSettings c) {
    return session(c, Duration.ofSeconds(10));
  }

  static CqlSession session(NodeSettings.CassandraSettings c, Duration requestTimeout) {
    List<InetSocketAddress> points = c.contactPoints().stream().map(hp -> {
      int colon = hp.lastIndexOf(':');
      return new InetSocketAddress(hp.substring(0, colon), Integer.parseInt(hp.substring(colon + 1)));
    }).toList();
    // The same request timeout and cross-DC failover as the journal's driver (config()).
    DriverConfigLoader loader = DriverConfigLoader.programmaticBuilder()
        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, requestTimeout)
        .withInt(DefaultDriverOption.LOAD_BALANCING_DC_FAILOVER_MAX_NODES_PER_REMOTE_DC, 1)
        .withString(DefaultDriverOption.REQUEST_CONSISTENCY, "QUORUM")
        .build();
    return CqlSession.builder().addContactPoints(points).withConfigLoader(loader)
        .withLocalDatacenter(c.localDatacenter()).build();
  }
}
