package fabric.node;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import fabric.node.NodeSettings.CassandraSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.cassandra.KeyspaceAndTableStatements;
import org.apache.pekko.persistence.cassandra.PluginSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fabric's Cassandra schema: the journal, snapshot and blob keyspaces with the
 * configured replication (one replica per AZ in a multi-AZ cluster), the journal's and
 * snapshot store's tables as pekko-persistence-cassandra defines them, and the leader
 * epochs table ({@link CassandraLeaderEpochStore}) beside the journal (the blob store
 * creates its own tables). Every statement is
 * CREATE ... IF NOT EXISTS, so running it again is harmless; it should run from one place
 * at a time, though: concurrent CREATE TABLEs on different coordinators can give Cassandra
 * two ids for one table. {@code ./fabric up --processes} therefore creates the schema once
 * before it starts the node processes, which then find everything there.
 */
public final class CassandraSchema {
  private static final Logger log = LoggerFactory.getLogger(CassandraSchema.class);
  // Schema changes wait for every replica to agree; on a busy 2-core machine with three
  // Cassandra nodes that takes seconds, far beyond the driver's 2 s request timeout.
  private static final Duration DDL_TIMEOUT = Duration.ofSeconds(60);
  private static final String PLUGIN_PATH = "pekko.persistence.cassandra";

  private CassandraSchema() {}

  /** For a node: with its own session and actor system. */
  static void create(CqlSession session, ActorSystem<?> system, CassandraSettings c) {
    List<String> statements = new ArrayList<>();
    for (String ks : List.of(c.keyspace(), c.keyspace() + "_snapshot", c.keyspace() + "_blobs")) {
      statements.add("CREATE KEYSPACE IF NOT EXISTS " + ks + " WITH replication = "
          + c.replication());
    }
    KeyspaceAndTableStatements plugin = new KeyspaceAndTableStatements(
        Adapter.toClassic(system), PLUGIN_PATH, PluginSettings.apply(Adapter.toClassic(system)));
    statements.addAll(plugin.getCreateJournalTablesStatements());
    statements.addAll(plugin.getCreateSnapshotTablesStatements());
    statements.add(CassandraLeaderEpochStore.createTable(c.keyspace()));
    for (String cql : statements) {
      session.execute(SimpleStatement.newInstance(cql).setTimeout(DDL_TIMEOUT));
    }
  }

  /**
   * Waits until every Cassandra node has the same schema. The driver waits only 10 s after
   * each change; a node whose coordinator has not seen a keyspace yet would create it a
   * second time (the concurrent creation this class exists to avoid) or fail to prepare
   * statements against a table it does not know.
   */
  private static void awaitAgreement(CqlSession session) throws InterruptedException {
    long deadline = System.nanoTime() + DDL_TIMEOUT.toNanos();
    while (!session.checkSchemaAgreement()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the Cassandra nodes do not agree on the schema "
            + DDL_TIMEOUT.toSeconds() + " s after it was created");
      }
      Thread.sleep(500);
    }
  }

  /**
   * For a launcher that starts node processes: creates the schema those nodes will use
   * (same {@code fabric.node.cassandra} settings as {@code base} gives them), with a
   * short-lived local actor system that only computes the plugin's table definitions.
   *
   * @return how long it took
   */
  public static Duration createFor(Config base, List<String> contactPoints,
      String localDatacenter, String replication) throws Exception {
    long t0 = System.nanoTime();
    CassandraSettings c = new CassandraSettings(contactPoints, localDatacenter,
        base.getString("fabric.node.cassandra.keyspace"), replication);
    Config config = ConfigFactory.parseString("""
            pekko.actor.provider = local
            pekko.loglevel = WARNING
            pekko.jvm-shutdown-hooks = off
            pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
            """)
        .withFallback(CassandraJournal.config(c)).withFallback(base).resolve();
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "fabric-schema", config);
    // Every statement here is a schema change: all of them get the DDL timeout.
    try (CqlSession session = CassandraJournal.session(c, DDL_TIMEOUT)) {
      create(session, system, c);
      // The blob stores create their tables when they are built: the regional one and one
      // per AZ for One Zone objects.
      try (var blobs = S3Wiring.cassandraBlobStore(config, session, c.keyspace() + "_blobs",
          c.replication())) {
        blobs.openZones(S3Wiring.zonesOf(c.replication()));
      }
      awaitAgreement(session);
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    log.info("Cassandra schema ready in {} s: keyspaces {}, {}_snapshot, {}_blobs with {}",
        String.format("%.1f", took.toMillis() / 1000.0), c.keyspace(), c.keyspace(),
        c.keyspace(), replication);
    return took;
  }
}
