package fabric.drills.fault;

import fabric.drills.cluster.FabricCluster;
import fabric.drills.cluster.Signals;
import fabric.drills.history.FaultEvent;
import fabric.drills.history.History;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The disk of one AZ's Cassandra node runs full: the drill fills that node's own disk (the
 * tmpfs {@code ./fabric up --cassandra-disk-mib} gives it) with a file until the file system
 * refuses, holds, then deletes the file and restarts that Cassandra node, as an operator
 * would once Cassandra's disk and commit failure policies (stop) took it out. The region
 * must keep serving from the other AZs' replicas (QUORUM is 2 of 3) with nothing
 * acknowledged lost, and the node's replicas must catch up afterwards.
 */
public final class DiskFull implements Fault {
  /** A Cassandra node restarts in ~30-60 s on these machines. */
  private static final Duration RESTART_WITHIN = Duration.ofMinutes(4);
  static final String FILLER = "drill-disk-filler";
  private static final int BLOCK_BYTES = 1 << 20;

  private final Duration hold;
  private final List<String> findings = new ArrayList<>();

  public DiskFull(Duration hold) {
    this.hold = hold;
  }

  @Override
  public String name() {
    return "disk-full";
  }

  /** What each fill found, for the report. */
  public List<String> findings() {
    return findings;
  }

  /** Refuses a fabric whose Cassandra nodes write to the machine's own disk. */
  static void checkSupported(FabricCluster cluster) {
    if (cluster.cassandra().isEmpty()) {
      throw new IllegalStateException("the fabric runs no Cassandra nodes of its own: start "
          + "it with ./fabric up --processes N --journal cassandra --cassandra-disk-mib 512");
    }
    for (FabricCluster.CassandraNode c : cluster.cassandra()) {
      String type;
      try {
        type = c.dataDir().toString().isEmpty() ? "unknown"
            : Files.getFileStore(c.dataDir()).type();
      } catch (IOException e) {
        type = "unreadable (" + e.getMessage() + ")";
      }
      if (!type.equals("tmpfs")) {
        throw new IllegalStateException("the Cassandra node of " + c.az() + " writes to a "
            + type + " file system, not a disk of its own: start the fabric with ./fabric up "
            + "--processes N --journal cassandra --cassandra-disk-mib 512 (as root)");
      }
    }
  }

  @Override
  public FaultEvent inject(FabricCluster cluster, String target, History history)
      throws InterruptedException {
    String az = cluster.node(target).az();
    FabricCluster.CassandraNode cassandra = cluster.cassandra().stream()
        .filter(c -> c.az().equals(az)).findFirst()
        .orElseThrow(() -> new IllegalStateException("no Cassandra node in " + az));
    Path filler = cassandra.dataDir().resolve(FILLER);
    FaultEvent started = history.faultStarted("disk of " + cassandra.processName() + " full",
        target);
    try {
      long filled = fill(filler);
      findings.add("info   filled " + cassandra.processName() + "'s disk with "
          + filled / BLOCK_BYTES + " MiB; free now " + freeBytes(cassandra.dataDir()) / 1024
          + " KiB");
      Thread.sleep(hold.toMillis());
      boolean alive = ProcessHandle.of(cassandra.pid()).map(ProcessHandle::isAlive)
          .orElse(false);
      findings.add("info   " + cassandra.processName() + " after " + hold.toSeconds()
          + " s on a full disk: " + (alive ? "process still running" : "process exited"));
    } finally {
      delete(filler);
    }
    if (ProcessHandle.of(cassandra.pid()).isPresent()) {
      Signals.kill9(cassandra.pid());
    }
    cluster.restartCassandra(az, RESTART_WITHIN);
    return history.faultHealed(started);
  }

  /**
   * Writes blocks until the file system refuses one; returns the bytes written. A refusal
   * while space is left (permissions, a vanished directory) is no full disk: it fails with
   * its cause instead of passing for one.
   */
  static long fill(Path filler) {
    byte[] block = new byte[BLOCK_BYTES];
    long written = 0;
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
        written += block.length;
      }
    } catch (IOException refused) {
      long free = freeBytes(filler.getParent());
      if (free < 0 || free >= BLOCK_BYTES) {
        throw new IllegalStateException("could not fill " + filler.getParent() + " ("
            + free + " bytes still free): " + refused.getMessage(), refused);
      }
      return written; // "No space left on device": what the drill is after
    }
  }

  private static long freeBytes(Path dir) {
    try {
      FileStore store = Files.getFileStore(dir);
      return store.getUsableSpace();
    } catch (IOException e) {
      return -1;
    }
  }

  private static void delete(Path filler) {
    try {
      Files.deleteIfExists(filler);
    } catch (IOException e) {
      throw new IllegalStateException("cannot delete " + filler + " (the disk stays full): "
          + e.getMessage(), e);
    }
  }
}
