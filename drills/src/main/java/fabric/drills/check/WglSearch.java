package fabric.drills.check;

import fabric.drills.history.Call;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The Wing-Gong-Lowe linearizability search for the calls of one key (Lowe, "Testing for
 * linearizability", 2017; the algorithm behind porcupine and knossos's "linear" checker).
 *
 * <p>Call and return events sit in one doubly linked list in real-time order. The search walks
 * the list: at a call entry it tries to linearize that op now (legal in the current state, and
 * the resulting (linearized set, state) configuration not seen before), lifting the call and its
 * return out of the list and pushing a frame; at a return entry whose op is not linearized yet
 * it has run out of options for that op and backtracks to the last frame, trying the next
 * candidate. The memo of configurations is what makes this practical: two orders that linearize
 * the same ops into the same state have the same future.
 *
 * <p>Indeterminate calls (INFO, or pending at the end) return at +infinity: they sit after every
 * definite return, so reaching one means every OK call is linearized - success, whichever
 * indeterminate calls took effect. One that is never linearized simply never happened.
 */
final class WglSearch<S> {
  private static final int MAX_CANDIDATE_STATES = 8;
  private static final int MAX_LAST_LINEARIZED = 5;
  // Memo entry: BitSet + its long[] + record + HashMap node, roughly, plus the bits.
  private static final long MEMO_ENTRY_OVERHEAD_BYTES = 112;

  private final Model<S> model;
  private final SearchLimits limits;

  WglSearch(Model<S> model, SearchLimits limits) {
    this.model = model;
    this.limits = limits;
  }

  /** The outcome for one key: verdict, and either a violation or an inconclusive reason. */
  record Outcome(Verdict verdict, long statesExplored, NonLinearizable violation,
      String inconclusiveReason) {}

  private record Memo<S>(BitSet linearized, S state) {}

  private record Frame<S>(Entry call, S stateBefore) {}

  private static final class Entry {
    final int id;
    final boolean isCall;
    final long order;
    final long tieBreak;
    Entry match;
    Entry prev;
    Entry next;

    Entry(int id, boolean isCall, long order, long tieBreak) {
      this.id = id;
      this.isCall = isCall;
      this.order = order;
      this.tieBreak = tieBreak;
    }
  }

  /** @param calls the relevant calls of one key (see {@link Model#relevant}) */
  Outcome run(String key, List<Call> calls) {
    int n = calls.size();
    Entry head = buildList(calls);
    long bytesPerState = MEMO_ENTRY_OVERHEAD_BYTES + 8L * ((n + 63) / 64);
    long maxStates =
        Math.min(limits.maxStates(), Math.max(1, limits.maxMemoBytes() / bytesPerState));

    Set<Memo<S>> memo = new HashSet<>();
    List<Frame<S>> stack = new ArrayList<>();
    BitSet linearized = new BitSet(n);
    S state = model.initial();
    DeadEnd deadEnd = new DeadEnd();
    long explored = 0;

    Entry entry = head.next;
    while (head.next != null) {
      if (entry.isCall) {
        Call call = calls.get(entry.id);
        if (model.legal(state, call)) {
          S next = model.apply(state, call);
          // Probe with the live set; copy it only for a configuration that is new (most
          // probes hit the memo, and a copy each would be most of the search's garbage).
          linearized.set(entry.id);
          if (!memo.contains(new Memo<>(linearized, next))) {
            if (++explored > maxStates) {
              return new Outcome(Verdict.UNKNOWN, explored, null, "search limit hit: "
                  + explored + " states explored (limit " + limits.maxStates() + " states, "
                  + (limits.maxMemoBytes() >> 20) + " MiB of memo) over " + n + " ops");
            }
            memo.add(new Memo<>((BitSet) linearized.clone(), next));
            stack.add(new Frame<>(entry, state));
            state = next;
            lift(entry);
            entry = head.next;
            continue;
          }
          linearized.clear(entry.id);
        }
        entry = entry.next;
      } else {
        Call call = calls.get(entry.id);
        if (call.isIndeterminate()) {
          // Returns at +infinity come last: every definite call is linearized.
          return new Outcome(Verdict.OK, explored, null, null);
        }
        deadEnd.note(stack, entry.id, state);
        if (stack.isEmpty()) {
          return new Outcome(Verdict.VIOLATION, explored,
              deadEnd.explain(key, calls, countDefinite(calls)), null);
        }
        Frame<S> top = stack.remove(stack.size() - 1);
        state = top.stateBefore();
        linearized.clear(top.call().id);
        unlift(top.call());
        entry = top.call().next;
      }
    }
    return new Outcome(Verdict.OK, explored, null, null);
  }

  private static Entry buildList(List<Call> calls) {
    List<Entry> entries = new ArrayList<>(2 * calls.size());
    for (int i = 0; i < calls.size(); i++) {
      Call c = calls.get(i);
      Entry call = new Entry(i, true, c.invoke().index(), 0);
      // Indeterminate calls return at +infinity (Call.NEVER); among them, by invocation.
      Entry ret = new Entry(i, false, c.returnIndex(), c.invoke().index());
      call.match = ret;
      ret.match = call;
      entries.add(call);
      entries.add(ret);
    }
    entries.sort(Comparator.<Entry>comparingLong(e -> e.order).thenComparingLong(e -> e.tieBreak));
    Entry head = new Entry(-1, false, Long.MIN_VALUE, 0);
    Entry prev = head;
    for (Entry e : entries) {
      prev.next = e;
      e.prev = prev;
      prev = e;
    }
    return head;
  }

  /** Removes a call entry and its return from the list; they keep their own links. */
  private static void lift(Entry call) {
    unlink(call);
    unlink(call.match);
  }

  /** Undoes {@link #lift}; valid because lifts are undone in reverse (stack) order. */
  private static void unlift(Entry call) {
    relink(call.match);
    relink(call);
  }

  private static void unlink(Entry e) {
    e.prev.next = e.next;
    if (e.next != null) {
      e.next.prev = e.prev;
    }
  }

  private static void relink(Entry e) {
    e.prev.next = e;
    if (e.next != null) {
      e.next.prev = e;
    }
  }

  private static int countDefinite(List<Call> calls) {
    int n = 0;
    for (Call c : calls) {
      if (!c.isIndeterminate()) {
        n++;
      }
    }
    return n;
  }

  /**
   * Where the search got furthest: the op it could not place after the longest linearized
   * prefix, and the states the register could be in then. That is the smallest useful story of
   * a violation - everything before it has an explanation, this op has none.
   */
  private final class DeadEnd {
    private int depth = -1;
    private int blockingId;
    private final Set<S> states = new LinkedHashSet<>();
    private final List<Integer> lastLinearized = new ArrayList<>();

    void note(List<Frame<S>> stack, int blocked, S state) {
      if (stack.size() > depth) {
        depth = stack.size();
        blockingId = blocked;
        states.clear();
        lastLinearized.clear();
        for (int i = Math.max(0, stack.size() - MAX_LAST_LINEARIZED); i < stack.size(); i++) {
          lastLinearized.add(stack.get(i).call().id);
        }
      }
      if (stack.size() == depth && blocked == blockingId && states.size() < MAX_CANDIDATE_STATES) {
        states.add(state);
      }
    }

    NonLinearizable explain(String key, List<Call> calls, int definite) {
      String blocking = calls.get(blockingId).describe();
      List<String> candidates = new ArrayList<>();
      for (S s : states) {
        candidates.add(model.describe(s));
      }
      List<String> last = new ArrayList<>();
      for (int id : lastLinearized) {
        last.add(calls.get(id).describe());
      }
      String message = "key " + key + ": not linearizable. Cannot place " + blocking
          + " - at most " + depth + " ops linearize before it (of " + definite
          + " acknowledged), and then the state is one of " + candidates
          + (last.isEmpty() ? "" : "; last linearized: " + String.join("; ", last));
      return new NonLinearizable(key, blocking, depth, candidates, last, message);
    }
  }
}
