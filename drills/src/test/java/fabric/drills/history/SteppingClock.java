package fabric.drills.history;

import java.util.function.LongSupplier;

/**
 * A deterministic clock for histories in tests: every reading advances it by a fixed step, so
 * each event gets its own time, and {@link #advance} jumps ahead (e.g. into a fault).
 */
public final class SteppingClock implements LongSupplier {
  public static final long MS = 1_000_000L;

  private final long step;
  private long now;

  public SteppingClock(long stepNanos) {
    this.step = stepNanos;
  }

  /** One millisecond per event. */
  public static SteppingClock millis() {
    return new SteppingClock(MS);
  }

  public void advance(long nanos) {
    now += nanos;
  }

  /** Sets the next reading; may not go back. */
  public void set(long nanos) {
    if (nanos < now) {
      throw new IllegalArgumentException("clock cannot go back");
    }
    now = nanos - step;
  }

  @Override
  public long getAsLong() {
    now += step;
    return now;
  }
}
