package fabric.drills.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HistoryTest {
  private final SteppingClock clock = SteppingClock.millis();
  private final History history = new History(clock);

  @Test
  void completionsArePairedWithTheirInvocationsByProcess() {
    Op w = history.invoke(1, Op.WRITE, "k", OpValue.of("a"));
    Op r = history.invoke(2, Op.READ, "k", null);
    history.ok(r, OpValue.of("a"));
    history.ok(w);

    List<Call> calls = history.calls();

    assertThat(calls).hasSize(2);
    assertThat(calls.get(0).invoke()).isEqualTo(w);
    assertThat(calls.get(0).outcome()).isEqualTo(OpType.OK);
    assertThat(calls.get(0).value()).isEqualTo(OpValue.of("a"));
    assertThat(calls.get(1).invoke()).isEqualTo(r);
    assertThat(calls.get(1).value()).isEqualTo(OpValue.of("a"));
    assertThat(calls.get(1).precedes(calls.get(0))).isFalse();
  }

  @Test
  void aCallStillPendingAtTheEndCountsAsIndeterminateAndNeverReturns() {
    history.invoke(1, Op.WRITE, "k", OpValue.of("a"));

    Call c = history.calls().get(0);

    assertThat(c.completion()).isNull();
    assertThat(c.outcome()).isEqualTo(OpType.INFO);
    assertThat(c.isIndeterminate()).isTrue();
    assertThat(c.endNanos()).isEqualTo(Call.NEVER);
    assertThat(c.returnIndex()).isEqualTo(Call.NEVER);
  }

  @Test
  void aTimedOutCallIsInfoAndItsProcessMayGoOn() {
    Op w = history.invoke(1, Op.WRITE, "k", OpValue.of("a"));
    history.info(w, "DEADLINE_EXCEEDED");
    Op next = history.invoke(1, Op.READ, "k", null);
    history.fail(next, "UNAVAILABLE");

    List<Call> calls = history.calls();

    assertThat(calls.get(0).outcome()).isEqualTo(OpType.INFO);
    assertThat(calls.get(0).completion().errorText()).contains("DEADLINE_EXCEEDED");
    assertThat(calls.get(0).endNanos()).isEqualTo(Call.NEVER);
    assertThat(calls.get(1).outcome()).isEqualTo(OpType.FAIL);
  }

  @Test
  void precedenceFollowsTheOrderOfEventsNotJustTheClock() {
    History sameInstant = new History(() -> 42);
    Op a = sameInstant.invoke(1, Op.WRITE, "k", OpValue.of("a"));
    sameInstant.ok(a);
    Op b = sameInstant.invoke(2, Op.READ, "k", null);
    sameInstant.ok(b, OpValue.of("a"));

    List<Call> calls = sameInstant.calls();

    assertThat(calls.get(0).precedes(calls.get(1))).isTrue();
    assertThat(calls.get(1).precedes(calls.get(0))).isFalse();
  }

  @Test
  void aProcessCannotHaveTwoOpsInFlight() {
    history.invoke(1, Op.WRITE, "k", OpValue.of("a"));

    assertThatThrownBy(() -> history.invoke(1, Op.READ, "k", null))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("in flight");
  }

  @Test
  void anOpCannotBeCompletedTwice() {
    Op w = history.invoke(1, Op.WRITE, "k", OpValue.of("a"));
    history.ok(w);

    assertThatThrownBy(() -> history.fail(w, "late")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void faultsAreRecordedOnTheSameClockAndHealedByHandle() {
    FaultEvent kill = history.faultStarted("kill-9", "node-2");
    FaultEvent stop = history.faultStarted("sigstop", "node-3");
    FaultEvent healed = history.faultHealed(kill);

    assertThat(history.faults()).containsExactly(healed, stop);
    assertThat(healed.startNanos()).isEqualTo(SteppingClock.MS);
    assertThat(healed.endNanos()).isEqualTo(3 * SteppingClock.MS);
    assertThat(stop.healed()).isFalse();
    assertThat(history.lastEventNanos()).isEqualTo(3 * SteppingClock.MS);
    assertThatThrownBy(() -> history.faultHealed(kill)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aRebuiltHistoryIsValidatedAndReadOnly() {
    Op w = history.invoke(1, Op.WRITE, "k", OpValue.of("a"));
    history.ok(w);
    History copy = History.of(history.ops(), history.faults());

    assertThat(copy.calls()).isEqualTo(history.calls());
    assertThatThrownBy(() -> copy.invoke(2, Op.READ, "k", null))
        .isInstanceOf(IllegalStateException.class);
    Op orphan = new Op(0, 1, OpType.OK, Op.WRITE, "k", OpValue.of("a"), 1, null);
    assertThatThrownBy(() -> History.of(List.of(orphan), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void concurrentClientsGetDistinctIndexesAndNonDecreasingTimes() throws Exception {
    History shared = History.startingNow();
    int threads = 8;
    int opsPerThread = 500;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int p = 0; p < threads; p++) {
        int process = p;
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < opsPerThread; i++) {
            Op w = shared.invoke(process, Op.WRITE, "k" + process, OpValue.of(process + "-" + i));
            shared.ok(w);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(1, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }

    List<Op> ops = shared.ops();
    assertThat(ops).hasSize(2 * threads * opsPerThread);
    for (int i = 0; i < ops.size(); i++) {
      assertThat(ops.get(i).index()).isEqualTo(i);
      if (i > 0) {
        assertThat(ops.get(i).timeNanos()).isGreaterThanOrEqualTo(ops.get(i - 1).timeNanos());
      }
    }
    assertThat(shared.calls()).allMatch(Call::isOk);
  }
}
