package fabric.drills.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskFullTest {
  @TempDir
  Path dir;

  /** Needs root for the mount (CI runs as root); elsewhere it is skipped, not passed. */
  @Test
  void fillingWritesUntilTheFileSystemRefusesAndTheSpaceComesBackWhenDeleted()
      throws Exception {
    Path disk = dir.resolve("disk");
    Files.createDirectories(disk);
    assumeThat(run("mount", "-t", "tmpfs", "-o", "size=4m", "drill-test", disk.toString()))
        .as("can mount a tmpfs (root)").isZero();
    try {
      Path filler = disk.resolve(DiskFull.FILLER);
      long written = DiskFull.fill(filler);
      assertThat(written).isBetween(3L << 20, 4L << 20);
      assertThat(Files.getFileStore(disk).getUsableSpace()).isLessThan(1 << 20);
      Files.delete(filler);
      assertThat(Files.getFileStore(disk).getUsableSpace()).isGreaterThan(3L << 20);
    } finally {
      run("umount", disk.toString());
    }
  }

  private static int run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
  }
}
