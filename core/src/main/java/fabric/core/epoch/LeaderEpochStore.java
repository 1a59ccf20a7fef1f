package fabric.core.epoch;

import java.util.concurrent.CompletionStage;

/**
 * Where leaders claim their epochs. A claim must be atomic across the whole cluster (a
 * Cassandra lightweight transaction, a unique key in a SQL database): of two leaders that
 * claim the same epoch of a resource, exactly one succeeds.
 */
public interface LeaderEpochStore {
  /** The resource's epochs, at most {@link EpochHistory#MAX_EPOCHS} newest ones. */
  CompletionStage<EpochHistory> load(String persistenceId);

  /** True if this claim won; false if the epoch was already claimed. */
  CompletionStage<Boolean> claim(String persistenceId, LeaderEpoch epoch);
}
