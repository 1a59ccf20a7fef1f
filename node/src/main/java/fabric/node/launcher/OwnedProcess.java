package fabric.node.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Finds a process the fabric started, by the PID it recorded, and only if it is still that
 * process: PIDs get reused, so a recorded PID counts only while the process behind it is a
 * java process that started at the recorded time and (for node and Cassandra processes)
 * carries the data dir on its command line.
 */
public final class OwnedProcess {
  // Start times come from /proc in clock ticks; allow for rounding between readers.
  private static final Duration START_TOLERANCE = Duration.ofSeconds(1);

  private OwnedProcess() {}

  /** When the process started, as recorded in the state file; "" if the OS does not say. */
  public static String processStart(ProcessHandle process) {
    return process.info().startInstant().map(Instant::toString).orElse("");
  }

  /**
   * The live process behind {@code pid} if it is the one recorded.
   *
   * @param marker a string that must appear in its command line, or null for none
   */
  public static Optional<ProcessHandle> find(long pid, String processStart, String marker) {
    if (pid <= 0) {
      return Optional.empty();
    }
    Optional<ProcessHandle> found = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    ProcessHandle p = found.get();
    if (!startsAt(p, processStart) || !isJava(p)) {
      return Optional.empty();
    }
    if (marker != null && !commandLine(p).contains(marker)) {
      return Optional.empty();
    }
    return found;
  }

  private static boolean startsAt(ProcessHandle p, String recorded) {
    if (recorded == null || recorded.isEmpty()) {
      return false; // nothing to prove it is ours
    }
    Optional<Instant> actual = p.info().startInstant();
    if (actual.isEmpty()) {
      return false;
    }
    Duration diff = Duration.between(Instant.parse(recorded), actual.get()).abs();
    return diff.compareTo(START_TOLERANCE) <= 0;
  }

  private static boolean isJava(ProcessHandle p) {
    return p.info().command().map(c -> Path.of(c).getFileName().toString().equals("java"))
        .orElse(false);
  }

  /** The full command line: /proc first (never truncated), else what the JDK reports. */
  static String commandLine(ProcessHandle p) {
    Path cmdline = Path.of("/proc", Long.toString(p.pid()), "cmdline");
    try {
      if (Files.exists(cmdline)) {
        return new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).replace('\0', ' ');
      }
    } catch (IOException e) {
      // fall through
    }
    return p.info().commandLine().orElse("");
  }

  /** Resident memory of a process in KiB, from /proc (Linux); empty if unknown. */
  public static OptionalLong rssKib(long pid) {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
      for (String line : lines) {
        if (line.startsWith("VmRSS:")) {
          return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or the process just ended: memory is for information only
    }
    return OptionalLong.empty();
  }

  /** "712 MiB" or "?" */
  public static String formatRss(OptionalLong kib) {
    return kib.isPresent() ? (kib.getAsLong() / 1024) + " MiB" : "?";
  }
}
