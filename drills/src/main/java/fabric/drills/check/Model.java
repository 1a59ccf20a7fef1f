package fabric.drills.check;

import fabric.drills.history.Call;
import java.util.List;

/**
 * A sequential specification for the linearizability search: a deterministic state machine
 * whose states are values (equals/hashCode: they key the search's memo).
 *
 * <p>Indeterminate calls need no nondeterminism here: if such a call takes effect, it does so as
 * {@link #apply} says; if it does not, the search simply never linearizes it.
 *
 * @param <S> the state; may be null (e.g. an absent register)
 */
public interface Model<S> {
  S initial();

  /**
   * Whether the call constrains the search at all. Calls that certainly had no effect (FAIL)
   * and indeterminate calls without effect (an INFO read) are left out: they cannot be wrong.
   */
  boolean relevant(Call call);

  /**
   * The calls of one key that the search needs, out of its {@link #relevant} ones, in the same
   * order. A model may drop indeterminate calls that no linearization could need - each one it
   * keeps can double the search. The default keeps them all.
   */
  default List<Call> needed(List<Call> relevantCalls) {
    return relevantCalls;
  }

  /** Whether the call could take effect in {@code state} with the result it recorded. */
  boolean legal(S state, Call call);

  /** The state after the call took effect in {@code state}; only called when legal. */
  S apply(S state, Call call);

  /** The state for people, in explanations. */
  String describe(S state);
}
