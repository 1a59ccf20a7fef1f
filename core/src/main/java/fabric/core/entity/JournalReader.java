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
    EpochStamping<E> unwrap = new EpochStamping<>(system, persistenceId, history);
    return query.currentEventsByPersistenceId(persistenceId, read.fromSeqNr(), Long.MAX_VALUE)
        .take(read.maxEvents())
        .runWith(Sink.seq(), system)
        .toCompletableFuture().orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .thenApply(envelopes -> {
          List<JournalRead.Event<E>> out = new ArrayList<>(envelopes.size());
          for (EventEnvelope envelope : envelopes) {
            for (E event : scala.jdk.javaapi.CollectionConverters.asJava(
                unwrap.fromJournal(envelope.event(), "").events())) {
              out.add(new JournalRead.Event<>(envelope.sequenceNr(), event));
            }
          }
          return out;
        });
  }
}
