package fabric.drills.history;

import java.util.Locale;

/** Formats nanosecond times as milliseconds, the unit people read drill results in. */
public final class Durations {
  private Durations() {}

  /** Milliseconds with three decimals; Locale.ROOT so that a decimal comma never appears. */
  public static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
  }

  public static double toMs(long nanos) {
    return nanos / 1e6;
  }

  public static double toSeconds(long nanos) {
    return nanos / 1e9;
  }
}
