package fabric.bench;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsing and printing of the human units used on the command line and in reports. */
final class Units {
  static final long KIB = 1024;
  static final long MIB = 1024 * KIB;
  static final long GIB = 1024 * MIB;

  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([a-z]*)");
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");

  private Units() {}

  /**
   * Parses "4KiB", "8MiB", "1GiB" (binary), "4KB", "8MB" (decimal, as in SI) or a plain byte
   * count. A bare "4k" is rejected: it is ambiguous, and a benchmark must not silently use
   * a different size than the one its reader assumes.
   */
  static long parseSize(String text) {
    Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("not a size: '" + text + "' (try 4KiB, 8MiB, 1GiB)");
    }
    long n = Long.parseLong(m.group(1));
    long unit = switch (m.group(2)) {
      case "", "b" -> 1;
      case "kib" -> KIB;
      case "mib" -> MIB;
      case "gib" -> GIB;
      case "kb" -> 1000;
      case "mb" -> 1000_000;
      case "gb" -> 1000_000_000;
      default -> throw new IllegalArgumentException(
          "unknown size unit '" + m.group(2) + "' in '" + text + "' (use B, KiB, MiB, GiB)");
    };
    return Math.multiplyExact(n, unit);
  }

  /** Shortest exact binary form: 4096 -> "4KiB", 8388608 -> "8MiB", 1000 -> "1000B". */
  static String formatSize(long bytes) {
    if (bytes > 0 && bytes % GIB == 0) {
      return bytes / GIB + "GiB";
    }
    if (bytes > 0 && bytes % MIB == 0) {
      return bytes / MIB + "MiB";
    }
    if (bytes > 0 && bytes % KIB == 0) {
      return bytes / KIB + "KiB";
    }
    return bytes + "B";
  }

  /** Parses "15s", "500ms", "2m", "1.5s", "1h", or ISO-8601 ("PT15S"). */
  static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.startsWith("pt")) {
      try {
        return Duration.parse(t);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("not a duration: '" + text + "'");
      }
    }
    if (t.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = DURATION.matcher(t);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a duration: '" + text + "' (try 15s, 500ms, 2m)");
    }
    double n = Double.parseDouble(m.group(1));
    double millisPerUnit = switch (m.group(2)) {
      case "ms" -> 1;
      case "s" -> 1_000;
      case "m" -> 60_000;
      default -> 3_600_000; // "h": the regex admits nothing else
    };
    return Duration.ofNanos(Math.round(n * millisPerUnit * 1_000_000));
  }
}
