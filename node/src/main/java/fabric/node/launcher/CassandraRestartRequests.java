package fabric.node.launcher;

import fabric.core.cassandra.LocalCassandraCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restarts an AZ's Cassandra node when a drill asks for it. The supervisor never restarts
 * Cassandra by itself (an AZ that is down stays down), but a drill that destroyed an AZ's
 * data brings its node back, empty. The request is a file
 * {@code <data-dir>/control/restart-cassandra-<az>}; the answer, written next to it as
 * {@code restart-cassandra-<az>.done}, is "ok PID" or "failed REASON".
 */
final class CassandraRestartRequests implements Runnable {
  static final String PREFIX = "restart-cassandra-";
  private static final Logger log = LoggerFactory.getLogger(CassandraRestartRequests.class);
  private static final Duration POLL = Duration.ofMillis(500);

  private final Path controlDir;
  private final LocalCassandraCluster cassandra;
  private final IntConsumer onRestarted;
  private final BooleanSupplier stopping;

  CassandraRestartRequests(Path controlDir, LocalCassandraCluster cassandra,
      IntConsumer onRestarted, BooleanSupplier stopping) {
    this.controlDir = controlDir;
    this.cassandra = cassandra;
    this.onRestarted = onRestarted;
    this.stopping = stopping;
  }

  /** Starts the watcher as a daemon thread. */
  static void watch(Path controlDir, LocalCassandraCluster cassandra, IntConsumer onRestarted,
      BooleanSupplier stopping) {
    Thread t = new Thread(new CassandraRestartRequests(controlDir, cassandra, onRestarted,
        stopping), "cassandra-restart-requests");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void run() {
    try {
      Files.createDirectories(controlDir);
      while (!stopping.getAsBoolean()) {
        for (int i = 0; i < cassandra.size(); i++) {
          Path request = controlDir.resolve(PREFIX + cassandra.datacenterOf(i));
          if (Files.deleteIfExists(request)) {
            answer(request, restart(i));
          }
        }
        Thread.sleep(POLL.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      log.error("cannot watch {} for Cassandra restart requests: {}", controlDir, e.toString());
    }
  }

  private String restart(int i) {
    String az = cassandra.datacenterOf(i);
    if (cassandra.node(i).isRunning()) {
      return "failed the Cassandra node of " + az + " is running";
    }
    log.info("restarting the Cassandra node of {} on request", az);
    try {
      cassandra.restart(i);
      onRestarted.accept(i);
      long pid = cassandra.node(i).pid().orElse(-1);
      log.info("Cassandra node of {} is back as PID {}", az, pid);
      return "ok " + pid;
    } catch (RuntimeException e) {
      log.warn("Cassandra node of {} did not come back", az, e);
      String reason = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
      return "failed " + e.getClass().getSimpleName() + ": " + reason;
    }
  }

  private static void answer(Path request, String result) throws IOException {
    Path done = request.resolveSibling(request.getFileName() + ".done");
    Path tmp = request.resolveSibling(request.getFileName() + ".tmp");
    Files.writeString(tmp, result + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, done, StandardCopyOption.REPLACE_EXISTING);
  }
}
