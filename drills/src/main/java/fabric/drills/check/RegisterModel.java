package fabric.drills.check;

import fabric.drills.history.Call;
import fabric.drills.history.Op;
import fabric.drills.history.OpType;
import fabric.drills.history.OpValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A single read/write/compare-and-set register holding a string, null when absent.
 *
 * <ul>
 *   <li>{@code read}: legal iff the register holds the value the read returned.
 *   <li>{@code write(v)}: always legal; the register becomes v.
 *   <li>{@code cas(expected, new)}: legal iff the register holds expected; it becomes new. A FAIL
 *       cas is a definite no-op and is left out; an INFO cas either took effect (legal only if
 *       expected matched) or never did.
 * </ul>
 */
public final class RegisterModel implements Model<String> {
  private final String initial;

  /** @param initial the value before any write; null = absent */
  public RegisterModel(String initial) {
    this.initial = initial;
  }

  @Override
  public String initial() {
    return initial;
  }

  @Override
  public boolean relevant(Call call) {
    String f = call.f();
    if (!Op.READ.equals(f) && !Op.WRITE.equals(f) && !Op.CAS.equals(f)) {
      return false;
    }
    if (call.outcome() == OpType.FAIL) {
      return false;
    }
    // A read that never returned observed nothing and changed nothing.
    return !(Op.READ.equals(f) && call.isIndeterminate());
  }

  /**
   * Drops the indeterminate writes and cas whose value nothing observes. Linearizing such an op
   * only makes the register hold a value that no acknowledged read returns and no kept cas
   * expects, so removing it from any valid linearization leaves one that is still valid: every
   * op after it either overwrites the register or would have had to observe that value. The
   * observed values are closed over the kept indeterminate cas ops (their expected values count
   * once they are kept). In a chaos run most timeouts are writes that never landed or were
   * overwritten unseen; without this, each would double the search.
   */
  @Override
  public List<Call> needed(List<Call> relevantCalls) {
    Set<String> observed = new HashSet<>();
    List<Call> undecided = new ArrayList<>();
    for (Call c : relevantCalls) {
      if (c.isIndeterminate()) {
        undecided.add(c);
      } else if (Op.READ.equals(c.f())) {
        observed.add(OpValue.text(c.value()));
      } else if (Op.CAS.equals(c.f())) {
        observed.add(cas(c).expected());
      }
    }
    Set<Call> kept = Collections.newSetFromMap(new IdentityHashMap<>());
    boolean grew = true;
    while (grew) {
      grew = false;
      for (Call c : undecided) {
        if (!kept.contains(c) && observed.contains(written(c))) {
          kept.add(c);
          grew |= Op.CAS.equals(c.f()) && observed.add(cas(c).expected());
        }
      }
    }
    List<Call> needed = new ArrayList<>(relevantCalls.size());
    for (Call c : relevantCalls) {
      if (!c.isIndeterminate() || kept.contains(c)) {
        needed.add(c);
      }
    }
    return needed;
  }

  @Override
  public boolean legal(String state, Call call) {
    return switch (call.f()) {
      case Op.READ -> Objects.equals(state, OpValue.text(call.value()));
      case Op.WRITE -> true;
      case Op.CAS -> Objects.equals(state, cas(call).expected());
      default -> throw new IllegalArgumentException("not a register op: " + call.describe());
    };
  }

  @Override
  public String apply(String state, Call call) {
    return switch (call.f()) {
      case Op.READ -> state;
      // The request defines the effect, whatever the completion echoed back.
      case Op.WRITE -> OpValue.text(call.invoke().value());
      case Op.CAS -> cas(call).next();
      default -> throw new IllegalArgumentException("not a register op: " + call.describe());
    };
  }

  @Override
  public String describe(String state) {
    return OpValue.show(state);
  }

  /** The value a write or cas puts in the register when it takes effect. */
  private static String written(Call call) {
    return Op.CAS.equals(call.f()) ? cas(call).next() : OpValue.text(call.invoke().value());
  }

  private static OpValue.Cas cas(Call call) {
    if (call.invoke().value() instanceof OpValue.Cas c) {
      return c;
    }
    throw new IllegalArgumentException("a cas needs an (expected, new) value: " + call.describe());
  }
}
