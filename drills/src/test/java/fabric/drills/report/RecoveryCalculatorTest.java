package fabric.drills.report;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.drills.history.FaultEvent;
import fabric.drills.history.Op;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecoveryCalculatorTest {
  private final TimedHistory t = new TimedHistory();

  private List<FaultRecovery> recoveries() {
    return RecoveryCalculator.standard().compute(t.history);
  }

  @Test
  void recoveryRunsFromFaultStartToTheFirstSuccessAfterTheLastDisruption() {
    t.okWrite(1, "k", 0, 10);
    FaultEvent kill = t.at(100).fault("kill-9", "node-2");
    t.failedWrite(1, "k", 110, 120);
    t.failedWrite(1, "k", 900, 950);
    t.at(1000).heal(kill);
    t.okWrite(1, "k", 1200, 1350);
    t.okWrite(1, "k", 1400, 1410);

    FaultRecovery r = recoveries().get(0);

    assertThat(r.name()).isEqualTo(kill.name());
    assertThat(r.target()).isEqualTo("node-2");
    assertThat(r.startNanos()).isEqualTo(100 * TimedHistory.MS);
    assertThat(r.endNanos()).isEqualTo(1000 * TimedHistory.MS);
    assertThat(r.recoveredAtNanos()).isEqualTo(1350 * TimedHistory.MS);
    assertThat(r.recoveryMs()).isEqualTo(1250.0);
  }

  @Test
  void aFaultWithoutVisibleEffectRecoversAtTheFirstSuccessAfterIt() {
    t.okWrite(1, "k", 0, 10);
    t.at(100).fault("sigstop", "node-3");
    t.okWrite(1, "k", 105, 130);

    assertThat(recoveries().get(0).recoveryMs()).isEqualTo(30.0);
  }

  @Test
  void aTimeoutOfARequestSentBeforeTheRecoveryDoesNotMoveIt() {
    t.at(100).fault("kill-9", "node-2");
    Op stuck = t.at(200).write(2, "k");
    t.okWrite(1, "k", 300, 400);
    t.at(5000).info(stuck);

    assertThat(recoveries().get(0).recoveredAtNanos()).isEqualTo(400 * TimedHistory.MS);
  }

  @Test
  void failuresAfterASuccessPushTheRecoveryPastThem() {
    t.at(100).fault("partition", "us-east-1a");
    t.okWrite(1, "k", 200, 210);
    t.failedWrite(1, "k", 300, 310);
    t.okWrite(1, "k", 400, 420);

    assertThat(recoveries().get(0).recoveredAtNanos()).isEqualTo(420 * TimedHistory.MS);
  }

  @Test
  void aFaultAfterWhichNothingSucceedsIsNotRecovered() {
    t.okWrite(1, "k", 0, 10);
    t.at(100).fault("kill-9", "node-2");
    t.failedWrite(1, "k", 200, 210);
    Op pending = t.at(300).write(1, "k");

    FaultRecovery r = recoveries().get(0);

    assertThat(pending).isNotNull();
    assertThat(r.recovered()).isFalse();
    assertThat(r.recoveryMs()).isNull();
  }

  @Test
  void aFailedCasIsAnAnswerNotADisruption() {
    t.at(100).fault("kill-9", "node-2");
    t.okWrite(1, "k", 200, 210);
    Op cas = t.at(300).cas(1, "k");
    t.at(310).fail(cas);

    assertThat(recoveries().get(0).recoveredAtNanos()).isEqualTo(210 * TimedHistory.MS);
  }

  @Test
  void eachFaultIsMeasuredInItsOwnWindow() {
    FaultEvent first = t.at(100).fault("kill-9", "node-1");
    t.failedWrite(1, "k", 110, 120);
    t.at(200).heal(first);
    t.okWrite(1, "k", 300, 310);
    t.at(1000).fault("kill-9", "node-2");
    t.failedWrite(1, "k", 1100, 1110);
    t.okWrite(1, "k", 1500, 1600);

    List<FaultRecovery> r = recoveries();

    assertThat(r.get(0).recoveredAtNanos()).isEqualTo(310 * TimedHistory.MS);
    assertThat(r.get(1).recoveredAtNanos()).isEqualTo(1600 * TimedHistory.MS);
  }

  @Test
  void overlappingFaultsShareOneDisruption() {
    FaultEvent first = t.at(100).fault("partition", "us-east-1a");
    t.at(150).fault("kill-9", "node-2");
    t.failedWrite(1, "k", 200, 210);
    t.at(300).heal(first);
    t.okWrite(1, "k", 400, 500);

    List<FaultRecovery> r = recoveries();

    assertThat(r).extracting(FaultRecovery::recoveredAtNanos)
        .containsExactly(500 * TimedHistory.MS, 500 * TimedHistory.MS);
    assertThat(r).extracting(FaultRecovery::recoveryMs).containsExactly(400.0, 350.0);
  }

  @Test
  void onlyTheCallsAFaultAffectsCount() {
    t.at(100).fault("kill-9", "leader-of-a");
    t.failedWrite(2, "a", 130, 140);
    t.okWrite(2, "a", 300, 310);
    t.failedWrite(1, "b", 400, 410);
    t.okWrite(1, "b", 500, 510);

    RecoveryCalculator byKey = new RecoveryCalculator(
        fault -> call -> call.key().equals("a"), RecoveryCalculator::defaultDisruption);

    assertThat(byKey.compute(t.history).get(0).recoveredAtNanos())
        .isEqualTo(310 * TimedHistory.MS);
    assertThat(recoveries().get(0).recoveredAtNanos()).isEqualTo(510 * TimedHistory.MS);
  }

  @Test
  void longestOutageEndsWhereTheLongestStretchWithoutSuccessEnds() {
    FaultEvent cut = t.at(100).fault("cut AZ", "node-1");
    t.okWrite(1, "k", 110, 150); // the partitioned leader still answers before it fences
    t.okWrite(2, "k", 200, 400);
    t.failedWrite(1, "k", 450, 1450);
    t.okWrite(3, "k", 2000, 2600); // first success after the failover
    t.okWrite(2, "k", 2700, 2750);
    t.at(3000).heal(cut);

    FaultRecovery r = RecoveryCalculator.longestOutage(f -> c -> true, Duration.ofSeconds(1))
        .compute(t.history).get(0);

    assertThat(r.recoveredAtNanos()).isEqualTo(2600 * TimedHistory.MS);
    assertThat(r.recoveryMs()).isEqualTo(2500.0);
  }

  @Test
  void longestOutageShorterThanTheMinimumIsNoOutage() {
    FaultEvent skew = t.at(100).fault("clock +3600 s", "node-1");
    t.okWrite(1, "k", 110, 150);
    t.okWrite(2, "k", 200, 700);
    t.okWrite(3, "k", 800, 1000);
    t.at(1100).heal(skew);

    FaultRecovery r = RecoveryCalculator.longestOutage(f -> c -> true, Duration.ofSeconds(1))
        .compute(t.history).get(0);

    assertThat(r.recoveryMs()).isEqualTo(50.0);
  }

  @Test
  void longestOutageWithoutAnySuccessIsNotRecovered() {
    FaultEvent kill = t.at(100).fault("kill-9", "node-2");
    t.failedWrite(1, "k", 110, 120);

    assertThat(RecoveryCalculator.longestOutage(f -> c -> true, Duration.ofSeconds(1))
        .compute(t.history).get(0)
        .recoveredAtNanos()).isNull();
    assertThat(kill.target()).isEqualTo("node-2");
  }
}
