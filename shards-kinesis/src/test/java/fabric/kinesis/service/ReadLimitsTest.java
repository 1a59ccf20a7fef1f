package fabric.kinesis.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The in-memory read limits of a serving node: 5 GetRecords a second per shard. */
class ReadLimitsTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final long HOUR = 3_600_000L;
  private final ReadLimits limits = new ReadLimits();

  private void take(long nowMillis) {
    limits.take("e", "shardId-0", "s", "111122223333", nowMillis);
  }

  @Test
  void fiveCallsASecond() {
    for (int i = 0; i < 5; i++) {
      take(T0);
    }
    assertThatThrownBy(() -> take(T0)).hasMessageContaining("Rate exceeded");
    take(T0 + 200);
  }

  @Test
  void aClockThatWentBackDoesNotStopTheReads() {
    // The node's clock an hour ahead (the clock-skew drill), then right again: the bucket
    // must refill from then on, not an hour later.
    for (int i = 0; i < 5; i++) {
      take(T0 + HOUR);
    }
    assertThatThrownBy(() -> take(T0)).hasMessageContaining("Rate exceeded");
    take(T0 + 200);
    take(T0 + 400);
  }
}
