package fabric.drills.check;

import fabric.drills.history.Call;
import fabric.drills.history.Durations;
import fabric.drills.history.History;
import fabric.drills.history.Op;
import fabric.drills.history.OpType;
import fabric.drills.history.OpValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Checks that acknowledged writes survive: after the faults healed, the harness reads every key
 * back (a strongly consistent read), and each acknowledged write must be explained by it.
 *
 * <p><b>Registers</b> ({@link #checkRegisters}). The writers of a key are its write and cas
 * calls that are OK or indeterminate (INFO/pending); FAIL calls wrote nothing. Written values
 * must be unique per key, which makes "who wrote the final value" decidable. An acknowledged
 * writer w is <em>lost</em> iff the final value is neither w's value nor the value of a writer w2
 * that may be linearized after w - and w2 may be after w unless w2 completed before w was
 * invoked (an indeterminate w2 never completed, so it always may). In any linearization the final
 * read sees the last writer before it, which is w or a writer ordered after w; if no such writer
 * wrote the final value, w's effect is gone. This is sound (no false alarms, given the final read
 * happened after every write) and needs only the final value, the real-time order and O(writes).
 *
 * <p><b>Sets</b> ({@link #checkSets}): for append-like workloads (queue sends, stream puts) every
 * acknowledged element must be present in the final set; indeterminate ones may be missing.
 *
 * <p>A key with acknowledged writes but no final read is inconclusive, not OK.
 */
public final class LostWritesChecker {
  public static final String NAME = "lost-writes";

  private LostWritesChecker() {}

  /**
   * @param finalValues the final read of each key; a key mapped to null was read back absent, a
   *     key missing from the map was not read back
   */
  public static CheckResult checkRegisters(History history, Map<String, String> finalValues) {
    return checkRegisters(history.calls(), finalValues);
  }

  public static CheckResult checkRegisters(List<Call> calls, Map<String, String> finalValues) {
    Map<String, List<Call>> writers = byKey(calls, c -> isRegisterWrite(c)
        && c.outcome() != OpType.FAIL);
    List<Violation> lost = new ArrayList<>();
    List<Inconclusive> inconclusive = new ArrayList<>();
    int checked = 0;
    for (Map.Entry<String, List<Call>> e : writers.entrySet()) {
      String key = e.getKey();
      if (e.getValue().stream().noneMatch(Call::isOk)) {
        continue;
      }
      checked++;
      if (!finalValues.containsKey(key)) {
        inconclusive.add(new Inconclusive(NAME, key, "no final read of the key"));
        continue;
      }
      lost.addAll(lostRegisterWrites(key, e.getValue(), finalValues.get(key)));
    }
    return CheckResult.of(NAME, checked, lost, inconclusive);
  }

  /**
   * @param addFunctions the functions that add an element, e.g. "send" or "add"
   * @param finalElements what the final read-back found, per key (queue, stream...)
   */
  public static CheckResult checkSets(History history, Set<String> addFunctions,
      Map<String, Set<String>> finalElements) {
    Map<String, List<Call>> adds = byKey(history.calls(),
        c -> addFunctions.contains(c.f()) && c.isOk());
    List<Violation> lost = new ArrayList<>();
    List<Inconclusive> inconclusive = new ArrayList<>();
    for (Map.Entry<String, List<Call>> e : adds.entrySet()) {
      String key = e.getKey();
      Set<String> present = finalElements.get(key);
      if (present == null) {
        inconclusive.add(new Inconclusive(NAME, key, "no final read of the key"));
        continue;
      }
      for (Call add : e.getValue()) {
        String element = OpValue.text(add.invoke().value());
        if (!present.contains(element)) {
          lost.add(lostWrite(key, element, add, "acknowledged " + add.f() + " of "
              + OpValue.show(element) + " is missing from the final read of " + present.size()
              + " elements"));
        }
      }
    }
    return CheckResult.of(NAME, adds.size(), lost, inconclusive);
  }

  private static List<LostWrite> lostRegisterWrites(String key, List<Call> writers,
      String finalValue) {
    // The real-time-latest return among the writers of the final value: any acknowledged write
    // invoked after it definitely came later and must not have been overwritten by it.
    long latestProducerReturn = -1;
    for (Call w : writers) {
      if (Objects.equals(written(w), finalValue)) {
        latestProducerReturn = Math.max(latestProducerReturn, w.returnIndex());
      }
    }
    List<LostWrite> lost = new ArrayList<>();
    for (Call w : writers) {
      String value = written(w);
      if (!w.isOk() || Objects.equals(value, finalValue)
          || latestProducerReturn > w.invoke().index()) {
        continue;
      }
      String why = latestProducerReturn < 0
          ? "which no write produced"
          : "whose writers all completed before this write was invoked at "
              + Durations.ms(w.startNanos()) + " ms";
      lost.add(lostWrite(key, value, w, "acknowledged " + w.f() + " of " + OpValue.show(value)
          + " is lost: the final read returned " + OpValue.show(finalValue) + ", " + why));
    }
    return lost;
  }

  private static LostWrite lostWrite(String key, String value, Call w, String why) {
    return new LostWrite(key, value, w.process(), w.startNanos(), w.endNanos(),
        "key " + key + ": " + why + " (p" + w.process() + ", acknowledged at "
            + Durations.ms(w.endNanos()) + " ms)");
  }

  private static boolean isRegisterWrite(Call c) {
    return Op.WRITE.equals(c.f()) || Op.CAS.equals(c.f());
  }

  /** The value a write or cas puts in the register. */
  private static String written(Call c) {
    OpValue v = c.invoke().value();
    return v instanceof OpValue.Cas cas ? cas.next() : OpValue.text(v);
  }

  private static Map<String, List<Call>> byKey(List<Call> calls, Predicate<Call> keep) {
    Map<String, List<Call>> byKey = new TreeMap<>();
    for (Call c : calls) {
      if (keep.test(c)) {
        byKey.computeIfAbsent(c.key(), k -> new ArrayList<>()).add(c);
      }
    }
    return byKey;
  }
}
