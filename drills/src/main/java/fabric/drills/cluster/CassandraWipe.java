package fabric.drills.cluster;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * Destroys what a (stopped) Cassandra node stored for the fabric, as if its disks were
 * lost: every file of the non-system keyspaces, the commit log, hints and saved caches. The
 * system keyspaces stay, so the node comes back as the same cluster member (same host id
 * and tokens) holding empty replicas: region-wide data survives on the other AZs' replicas,
 * data replicated to this AZ only is gone.
 */
public final class CassandraWipe {
  private static final List<String> WIPED_DIRS = List.of("commitlog", "hints", "saved_caches");

  private CassandraWipe() {}

  /** @return how many files were deleted */
  public static int userData(Path cassandraDataDir) {
    if (!Files.isDirectory(cassandraDataDir.resolve("data"))) {
      throw new IllegalArgumentException("not a Cassandra data dir (no data/): "
          + cassandraDataDir);
    }
    int[] deleted = {0};
    try (var keyspaces = Files.list(cassandraDataDir.resolve("data"))) {
      for (Path ks : keyspaces.toList()) {
        if (!ks.getFileName().toString().startsWith("system")) {
          deleted[0] += deleteFiles(ks);
        }
      }
      for (String dir : WIPED_DIRS) {
        Path d = cassandraDataDir.resolve(dir);
        if (Files.isDirectory(d)) {
          deleted[0] += deleteFiles(d);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot wipe " + cassandraDataDir + ": " + e, e);
    }
    return deleted[0];
  }

  /** Deletes the files below {@code root}, keeping the directories Cassandra expects. */
  private static int deleteFiles(Path root) throws IOException {
    int[] count = {0};
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        count[0]++;
        return FileVisitResult.CONTINUE;
      }
    });
    return count[0];
  }
}
