package fabric.drills.check;

/**
 * Bounds on one key's linearizability search, so that a pathological history ends as UNKNOWN
 * instead of hanging the drill or exhausting the heap. Linearizability checking is NP-complete;
 * the memo keeps ordinary histories cheap, but many indeterminate writes can still blow it up.
 *
 * @param maxStates distinct (linearized set, state) configurations explored per key
 * @param maxMemoBytes estimated memory of the memo of configurations per key
 */
public record SearchLimits(long maxStates, long maxMemoBytes) {
  public static final SearchLimits DEFAULT = new SearchLimits(10_000_000, 256L << 20);

  public SearchLimits {
    if (maxStates <= 0 || maxMemoBytes <= 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }

  public static SearchLimits states(long maxStates) {
    return new SearchLimits(maxStates, DEFAULT.maxMemoBytes());
  }
}
