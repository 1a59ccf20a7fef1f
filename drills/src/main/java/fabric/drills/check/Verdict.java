package fabric.drills.check;

/** What a checker concluded, for one key or for a whole history. */
public enum Verdict {
  /** No anomaly: the history is consistent with the property checked. */
  OK,
  /** A definite anomaly; see the violations. */
  VIOLATION,
  /** The checker could not decide (search limit hit, data missing); never silently OK. */
  UNKNOWN;

  /** VIOLATION beats UNKNOWN beats OK: one bad key makes the whole history bad. */
  Verdict and(Verdict other) {
    return compareTo(other) >= 0 ? this : other;
  }
}
