package fabric.drills.check;

import fabric.drills.history.Call;
import fabric.drills.history.History;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Checks that each key of a history behaves like a linearizable read/write/cas register
 * ({@link RegisterModel}), with the Wing-Gong-Lowe search ({@link WglSearch}).
 *
 * <p>Keys are checked independently: linearizability is compositional (Herlihy and Wing's
 * locality), so a history is linearizable iff each key's sub-history is - and checking many
 * small histories is exponentially cheaper than one big one.
 *
 * <p>Ops of other functions ("send", "receive"...) are ignored. Each key's search is bounded by
 * {@link SearchLimits}; a key that exceeds them is reported inconclusive (UNKNOWN), never OK.
 */
public final class LinearizabilityChecker {
  public static final String NAME = "linearizability";

  private final Model<String> model;
  private final SearchLimits limits;

  /** Registers start absent (null), default limits. */
  public LinearizabilityChecker() {
    this(null, SearchLimits.DEFAULT);
  }

  /** @param initialValue every register's value before the first write; null = absent */
  public LinearizabilityChecker(String initialValue, SearchLimits limits) {
    this.model = new RegisterModel(initialValue);
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** The verdict for one key. */
  public record KeyResult(String key, Verdict verdict, long statesExplored,
      NonLinearizable violation, String inconclusiveReason) {}

  public CheckResult check(History history) {
    return check(history.calls());
  }

  public CheckResult check(List<Call> calls) {
    List<Violation> violations = new ArrayList<>();
    List<Inconclusive> inconclusive = new ArrayList<>();
    Map<String, List<Call>> byKey = partition(calls);
    for (Map.Entry<String, List<Call>> e : byKey.entrySet()) {
      KeyResult r = checkKey(e.getKey(), e.getValue());
      if (r.verdict() == Verdict.VIOLATION) {
        violations.add(r.violation());
      } else if (r.verdict() == Verdict.UNKNOWN) {
        inconclusive.add(new Inconclusive(NAME, r.key(), r.inconclusiveReason()));
      }
    }
    return CheckResult.of(NAME, byKey.size(), violations, inconclusive);
  }

  /** Checks the calls of one key; calls the register model does not constrain are skipped. */
  public KeyResult checkKey(String key, List<Call> calls) {
    List<Call> relevant = new ArrayList<>();
    for (Call c : calls) {
      if (!c.key().equals(key)) {
        throw new IllegalArgumentException("call on " + c.key() + " given for key " + key);
      }
      if (model.relevant(c)) {
        relevant.add(c);
      }
    }
    WglSearch.Outcome o = new WglSearch<>(model, limits).run(key, model.needed(relevant));
    return new KeyResult(key, o.verdict(), o.statesExplored(), o.violation(),
        o.inconclusiveReason());
  }

  /** The register calls by key, sorted by key so that reports are stable. */
  private Map<String, List<Call>> partition(List<Call> calls) {
    Map<String, List<Call>> byKey = new TreeMap<>();
    for (Call c : calls) {
      if (model.relevant(c)) {
        byKey.computeIfAbsent(c.key(), k -> new ArrayList<>()).add(c);
      }
    }
    return byKey;
  }
}
