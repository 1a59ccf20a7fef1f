package fabric.node.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A disk of its own for each Cassandra node ({@code --cassandra-disk-mib}): a tmpfs of that
 * size mounted on the node's data directory, so that the disk-full drill can fill one AZ's
 * disk without filling the machine's. Mounts carry the source name {@link #SOURCE}, which is
 * how they are found again to unmount (also by {@code ./fabric down} after a crashed
 * supervisor): no state of their own.
 */
final class CassandraDisks {
  private static final Logger log = LoggerFactory.getLogger(CassandraDisks.class);
  static final String SOURCE = "fabric-cassandra-disk";
  private static final Path MOUNTS = Path.of("/proc/self/mounts");

  private CassandraDisks() {}

  static void mount(Path dir, int mib) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create " + dir + ": " + e.getMessage(), e);
    }
    run(List.of("mount", "-t", "tmpfs", "-o", "size=" + mib + "m", SOURCE, dir.toString()),
        "--cassandra-disk-mib needs root to mount a tmpfs on " + dir);
    log.info("Cassandra disk: {} MiB tmpfs on {}", mib, dir);
  }

  /** Unmounts every Cassandra disk under {@code dataDir}; logs what it cannot. */
  static void unmountAllUnder(Path dataDir) {
    for (Path mountPoint : mountedUnder(dataDir)) {
      try {
        run(List.of("umount", mountPoint.toString()), "cannot unmount " + mountPoint);
      } catch (IllegalStateException e) {
        log.warn("{}; detaching it lazily", e.getMessage());
        try {
          run(List.of("umount", "-l", mountPoint.toString()), "cannot unmount " + mountPoint);
        } catch (IllegalStateException again) {
          log.error(again.getMessage());
        }
      }
    }
  }

  /** The Cassandra disks mounted under {@code dataDir}, from /proc/self/mounts. */
  static List<Path> mountedUnder(Path dataDir) {
    try {
      return mountedUnder(dataDir, Files.readAllLines(MOUNTS));
    } catch (IOException e) {
      log.warn("cannot read {}: {}", MOUNTS, e.toString());
      return List.of();
    }
  }

  /** As above, from the lines of a mounts table ("source mount-point type options ..."). */
  static List<Path> mountedUnder(Path dataDir, List<String> mountLines) {
    Path root = dataDir.toAbsolutePath().normalize();
    List<Path> found = new ArrayList<>();
    for (String line : mountLines) {
      String[] f = line.split(" ");
      if (f.length > 2 && f[0].equals(SOURCE) && f[2].equals("tmpfs")) {
        // The mounts table writes a space in a path as \040.
        Path mountPoint = Path.of(f[1].replace("\\040", " "));
        if (mountPoint.startsWith(root)) {
          found.add(mountPoint);
        }
      }
    }
    return found;
  }

  private static void run(List<String> command, String failure) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes()).trim();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(failure + ": " + String.join(" ", command) + ": "
            + output);
      }
    } catch (IOException e) {
      throw new IllegalStateException(failure + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(failure + ": interrupted", e);
    }
  }
}
