package fabric.drills.report;

import fabric.drills.history.Durations;

/**
 * A fault and how long the system took to recover from it (see {@link RecoveryCalculator}).
 *
 * @param endNanos when the fault was healed; null if never
 * @param recoveredAtNanos when the system was back; null if that was not observed
 */
public record FaultRecovery(String name, String target, long startNanos, Long endNanos,
    Long recoveredAtNanos) {

  public boolean recovered() {
    return recoveredAtNanos != null;
  }

  /** Milliseconds from fault start to recovery; null if no recovery was observed. */
  public Double recoveryMs() {
    return recoveredAtNanos == null ? null : Durations.toMs(recoveredAtNanos - startNanos);
  }

  public String label() {
    return name + " @ " + target;
  }
}
