package fabric.core.epoch;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The leader epochs of one resource, oldest first: what decides whether a journaled event
 * belongs to the resource's history or is an orphan.
 *
 * <p>An orphan is an event a leader wrote that was never acknowledged (its journal write
 * timed out, e.g. in a partitioned AZ) but still reached a replica and spread from there
 * after the heal, while the next leader, not seeing it, wrote its own event at the same
 * sequence number. Every leader writes from its epoch's start sequence number on, so an
 * event of epoch e at or past the start of any later epoch was superseded: it is dropped.
 * Pure and deterministic: the replay filters and the tests share it.
 */
public record EpochHistory(List<LeaderEpoch> epochs) {
  /** Most epochs a resource's history holds in memory (the newest ones). */
  public static final int MAX_EPOCHS = 1_000;

  public static final EpochHistory EMPTY = new EpochHistory(List.of());

  public EpochHistory {
    epochs = epochs.stream().sorted(Comparator.comparingLong(LeaderEpoch::epoch)).toList();
    for (int i = 1; i < epochs.size(); i++) {
      if (epochs.get(i).epoch() == epochs.get(i - 1).epoch()) {
        throw new IllegalArgumentException("epoch " + epochs.get(i).epoch() + " twice");
      }
    }
  }

  public Optional<LeaderEpoch> latest() {
    return epochs.isEmpty() ? Optional.empty() : Optional.of(epochs.get(epochs.size() - 1));
  }

  /** The epoch the next leader claims: one past the latest. */
  public LeaderEpoch next(long startSeqNr, String nodeId) {
    return new LeaderEpoch(latest().map(LeaderEpoch::epoch).orElse(0L) + 1, startSeqNr, nodeId);
  }

  public EpochHistory with(LeaderEpoch claimed) {
    var all = new java.util.ArrayList<>(epochs);
    all.add(claimed);
    return new EpochHistory(all);
  }

  /**
   * The later epoch that superseded an event of {@code epoch} written at {@code seqNr}, if
   * any: the first epoch after it whose start is at or before {@code seqNr}.
   */
  public Optional<LeaderEpoch> supersededBy(long epoch, long seqNr) {
    for (LeaderEpoch later : epochs) {
      if (later.epoch() > epoch && later.startSeqNr() <= seqNr) {
        return Optional.of(later);
      }
    }
    return Optional.empty();
  }
}
