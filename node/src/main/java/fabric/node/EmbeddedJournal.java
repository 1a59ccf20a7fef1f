package fabric.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * The embedded default: pekko-persistence-jdbc on an H2 file database under the data
 * directory. Nodes in one JVM share the database (H2 embedded mode serves every connection
 * of the process), so a resource's events are readable whichever node leads it.
 */
final class EmbeddedJournal {
  private EmbeddedJournal() {}

  static Config config(Path dataDir) {
    // DB_CLOSE_DELAY=-1: the database stays open while any node of this JVM lives, even
    // when one node's pool closes (a node stopping must not close it under the others).
    String url = url(dataDir);
    return ConfigFactory.parseString("""
        pekko.persistence {
          journal.plugin = "jdbc-journal"
          snapshot-store.plugin = "jdbc-snapshot-store"
        }
        jdbc-journal.use-shared-db = "fabric"
        jdbc-snapshot-store.use-shared-db = "fabric"
        jdbc-read-journal.use-shared-db = "fabric"
        fabric.journal.query-plugin = "jdbc-read-journal"
        pekko-persistence-jdbc.shared-databases.fabric {
          profile = "slick.jdbc.H2Profile$"
          db {
            url = "%s"
            user = "fabric"
            password = ""
            driver = "org.h2.Driver"
            # H2 serializes commits anyway; more threads only add switching.
            numThreads = 4
            maxConnections = 4
            minConnections = 1
          }
        }
        """.formatted(url));
  }

  // Nodes of this JVM using each database; the last one to stop closes it, so that the
  // files are complete and a restart in the same JVM really reads them back.
  private static final Map<String, Integer> users = new HashMap<>();

  static synchronized void acquire(Path dataDir) {
    users.merge(url(dataDir), 1, Integer::sum);
  }

  static synchronized void release(Path dataDir) {
    String url = url(dataDir);
    int left = users.merge(url, -1, Integer::sum);
    if (left > 0) {
      return;
    }
    users.remove(url);
    try (Connection c = DriverManager.getConnection(url, "fabric", "");
        Statement st = c.createStatement()) {
      st.execute("SHUTDOWN");
    } catch (SQLException e) {
      LoggerFactory.getLogger(EmbeddedJournal.class).warn("closing {} failed: {}", url, e.toString());
    }
  }

  /**
   * WRITE_DELAY=0: H2 otherwise keeps committed transactions in memory for up to 500 ms
   * before writing them to the file, so a kill -9 right after an acknowledged write lost
   * it (RestartDurabilityTest caught that). With 0, every commit reaches the file (the OS)
   * before the journal acknowledges. TRACE_LEVEL_FILE=0: errors reach the callers as
   * exceptions (and their logs); H2's own trace file would otherwise be created, directory
   * and all, by a query that arrives after the database was shut down and its directory
   * deleted (tests' temporary directories then failed to delete).
   */
  static String url(Path dataDir) {
    return "jdbc:h2:file:" + dataDir.resolve("journal").resolve("fabric")
        + ";DB_CLOSE_DELAY=-1;WRITE_DELAY=0;TRACE_LEVEL_FILE=0";
  }

  /**
   * Creates the journal tables if this is a new data directory (h2-journal-schema.sql:
   * the plugin's schema with in-row payloads). Nodes of one JVM may run it concurrently:
   * every statement is IF NOT EXISTS and H2 runs DDL one at a time.
   */
  static void createSchema(Path dataDir) throws Exception {
    String sql;
    try (var in = EmbeddedJournal.class.getResourceAsStream("/h2-journal-schema.sql")) {
      sql = new String(java.util.Objects.requireNonNull(in, "h2-journal-schema.sql")
          .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    try (Connection c = DriverManager.getConnection(url(dataDir), "fabric", "");
        Statement st = c.createStatement()) {
      for (String statement : sql.replaceAll("(?m)^--.*$", "").split(";")) {
        if (!statement.isBlank()) {
          st.execute(statement);
        }
      }
    }
  }
}
