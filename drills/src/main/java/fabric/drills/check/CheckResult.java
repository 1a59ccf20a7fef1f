package fabric.drills.check;

import java.util.List;

/**
 * What one checker found in one history.
 *
 * @param checker the checker's name, e.g. "linearizability", "lost-writes"
 * @param verdict VIOLATION if there is any violation, else UNKNOWN if any key was inconclusive,
 *     else OK
 * @param keysChecked how many keys had something to check
 */
public record CheckResult(String checker, Verdict verdict, int keysChecked,
    List<Violation> violations, List<Inconclusive> inconclusive) {

  public CheckResult {
    violations = List.copyOf(violations);
    inconclusive = List.copyOf(inconclusive);
    Verdict derived = verdictOf(violations, inconclusive);
    if (verdict != derived) {
      throw new IllegalArgumentException("verdict " + verdict + " but the findings say "
          + derived);
    }
  }

  /** A result whose verdict follows from its findings. */
  public static CheckResult of(String checker, int keysChecked, List<Violation> violations,
      List<Inconclusive> inconclusive) {
    return new CheckResult(checker, verdictOf(violations, inconclusive), keysChecked, violations,
        inconclusive);
  }

  private static Verdict verdictOf(List<Violation> violations, List<Inconclusive> inconclusive) {
    Verdict v = Verdict.OK;
    if (!inconclusive.isEmpty()) {
      v = v.and(Verdict.UNKNOWN);
    }
    if (!violations.isEmpty()) {
      v = v.and(Verdict.VIOLATION);
    }
    return v;
  }
}
