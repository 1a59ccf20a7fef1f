package fabric.drills.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A knob a running fabric process re-reads from a file (a node's clock offset, a link's
 * delay): a fault sets it for a while and sets it back, also when the drill is interrupted
 * (Ctrl-C), so no process is left skewed or slowed.
 */
final class ControlFile {
  private ControlFile() {}

  /** Writes {@code value}, waits {@code hold}, writes {@code normal} back. */
  static void hold(Path file, String value, String normal, Duration hold)
      throws InterruptedException {
    Thread reset = new Thread(() -> write(file, normal), "reset-" + file.getFileName());
    Runtime.getRuntime().addShutdownHook(reset);
    write(file, value);
    try {
      Thread.sleep(hold.toMillis());
    } finally {
      write(file, normal);
      try {
        Runtime.getRuntime().removeShutdownHook(reset);
      } catch (IllegalStateException e) {
        // shutting down: the hook sets it back anyway
      }
    }
  }

  static void write(Path file, String value) {
    try {
      Files.writeString(file, value + "\n", StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the control file " + file, e);
    }
  }
}
