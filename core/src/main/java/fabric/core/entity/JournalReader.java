package fabric.core.entity;

import fabric.core.epoch.EpochHistory;
import fabric.core.epoch.EpochStamping;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Reads a resource's events back from the journal through the configured persistence-query
 * plugin ({@code fabric.journal.query-plugin}), unwrapped as a replay unwraps them: the
 * orphans of superseded leaders ({@link EpochHistory}) are dropped.
 */
public final class JournalReader {
  private final ActorSystem<?> system;
  private final CurrentEventsByPersistenceIdQuery query;
  private final long timeoutMillis;

  public JournalReader(ActorSystem<?> system) {
    this.system = system;
    var config = system.settings().config();
    this.query = PersistenceQuery.get(Adapter.toClassic(system)).getReadJournalFor(
        CurrentEventsByPersistenceIdQuery.class, config.getString("fabric.journal.query-plugin"));
    this.timeoutMillis = config.getDuration("fabric.journal.read-timeout").toMillis();
  }

  /**
   * A resource's events from outside its entity (DynamoDB Streams' GetRecords): its leader
   * epochs loaded first, so orphans are dropped exactly as a replay drops them.
   */
  public <E> CompletionStage<List<JournalRead.Event<E>>> read(String persistenceId,
      JournalRead read) {
    return fabric.core.epoch.LeaderEpochs.get(system).store().load(persistenceId)
        .thenCompose(history -> this.<E>read(persistenceId, history, read));
  }

  <E> CompletionStage<List<JournalRead.Event<E>>> read(String persistenceId,
      EpochHistory history, JournalRead read) {
    return envelopes(read, persistenceId).thenApply(envelopes -> unwrap(persistenceId,
        history, envelopes));
  }

  /** Most resources whose epochs {@link #readCachingEpochs} keeps (all dropped when full). */
  static final int MAX_CACHED_HISTORIES = 10_000;
  private final java.util.Map<String, CachedHistory> histories =
      new java.util.concurrent.ConcurrentHashMap<>();

  private record CachedHistory(EpochHistory history, long atMillis) {}

  /**
   * {@link #read(String, JournalRead)} for a caller that polls (GetRecords): the leader epochs
   * are loaded at most every {@code maxAgeMillis}, and at once when an event read carries an
   * epoch newer than the cached ones (a leader change). An orphan that reaches the journal
   * within {@code maxAgeMillis} of a leader change, before the new leader wrote anything,
   * can then be read as an event; a replay would still drop it.
   */
  public <E> CompletionStage<List<JournalRead.Event<E>>> readCachingEpochs(
      String persistenceId, JournalRead read, long maxAgeMillis) {
    long now = System.currentTimeMillis();
    CachedHistory cached = histories.get(persistenceId);
    CompletionStage<EpochHistory> history = cached != null
        && now - cached.atMillis() < maxAgeMillis
        ? java.util.concurrent.CompletableFuture.completedFuture(cached.history())
        : loadHistory(persistenceId, now);
    return history.thenCompose(h -> envelopes(read, persistenceId).thenCompose(envelopes -> {
      long known = h.latest().map(fabric.core.epoch.LeaderEpoch::epoch).orElse(0L);
      boolean newer = false;
      for (EventEnvelope envelope : envelopes) {
        newer |= envelope.event() instanceof fabric.core.epoch.EpochStamped stamped
            && stamped.epoch() > known;
      }
      return newer ? loadHistory(persistenceId, System.currentTimeMillis())
          .thenApply(fresh -> this.<E>unwrap(persistenceId, fresh, envelopes))
          : java.util.concurrent.CompletableFuture.completedFuture(
              this.<E>unwrap(persistenceId, h, envelopes));
    }));
  }

  private CompletionStage<EpochHistory> loadHistory(String persistenceId, long now) {
    return fabric.core.epoch.LeaderEpochs.get(system).store().load(persistenceId)
        .thenApply(h -> {
          if (histories.size() >= MAX_CACHED_HISTORIES) {
            histories.clear();
          }
          histories.put(persistenceId, new CachedHistory(h, now));
          return h;
        });
  }

  private CompletionStage<List<EventEnvelope>> envelopes(JournalRead read,
      String persistenceId) {
    return query.currentEventsByPersistenceId(persistenceId, read.fromSeqNr(), Long.MAX_VALUE)
        .take(read.maxEvents())
        .runWith(Sink.seq(), system)
        .toCompletableFuture().orTimeout(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  private <E> List<JournalRead.Event<E>> unwrap(String persistenceId, EpochHistory history,
      List<EventEnvelope> envelopes) {
    EpochStamping<E> unwrap = new EpochStamping<>(system, persistenceId, history);
    List<JournalRead.Event<E>> out = new ArrayList<>(envelopes.size());
    for (EventEnvelope envelope : envelopes) {
      for (E event : scala.jdk.javaapi.CollectionConverters.asJava(
          unwrap.fromJournal(envelope.event(), "").events())) {
        out.add(new JournalRead.Event<>(envelope.sequenceNr(), event));
      }
    }
    return out;
  }
}
