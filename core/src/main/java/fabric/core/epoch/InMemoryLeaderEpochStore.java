package fabric.core.epoch;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Epochs in this JVM's memory: for an in-memory journal (the persistence test kit), which
 * forgets its events with the process just as this forgets the epochs.
 */
public final class InMemoryLeaderEpochStore implements LeaderEpochStore {
  private final Map<String, EpochHistory> histories = new HashMap<>();

  @Override
  public synchronized CompletionStage<EpochHistory> load(String persistenceId) {
    return CompletableFuture.completedFuture(
        histories.getOrDefault(persistenceId, EpochHistory.EMPTY));
  }

  @Override
  public synchronized CompletionStage<Boolean> claim(String persistenceId, LeaderEpoch epoch) {
    EpochHistory history = histories.getOrDefault(persistenceId, EpochHistory.EMPTY);
    boolean taken = history.epochs().stream().anyMatch(e -> e.epoch() == epoch.epoch());
    if (!taken) {
      histories.put(persistenceId, history.with(epoch));
    }
    return CompletableFuture.completedFuture(!taken);
  }
}
