package fabric.drills.check;

import java.util.List;

/**
 * A key whose history has no linearization: no order of its ops, each placed between its
 * invocation and its completion, explains every result.
 *
 * @param blockingOp the op that could not be placed when the search got furthest, described
 * @param linearizedBefore how many ops the longest linearizable prefix contained
 * @param candidateStates the register contents possible at that point (a sample, capped)
 * @param lastLinearized the ops linearized right before the dead end, oldest first (capped)
 * @param message the whole explanation on one line
 */
public record NonLinearizable(String key, String blockingOp, int linearizedBefore,
    List<String> candidateStates, List<String> lastLinearized, String message)
    implements Violation {
  public NonLinearizable {
    candidateStates = List.copyOf(candidateStates);
    lastLinearized = List.copyOf(lastLinearized);
  }
}
