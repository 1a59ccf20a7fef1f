package fabric.core.epoch;

import fabric.core.replication.SerializedEvent;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.typed.EventAdapter;
import org.apache.pekko.persistence.typed.EventSeq;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal side of leader epochs, one per leader incarnation or replay: stamps what a
 * leader writes with its epoch and sequence number, and on replay drops the orphans that
 * {@link EpochHistory} identifies (ERROR log: an unacknowledged write of a superseded
 * leader) and stops the replay on two live events at one sequence number (two writers
 * within one epoch: a bug to surface, as the journal's replay filter would).
 *
 * <p>Not thread-safe: used only by the actor that owns it.
 */
public final class EpochStamping<E> extends EventAdapter<E, Object> {
  private static final Logger log = LoggerFactory.getLogger(EpochStamping.class);

  private final ActorSystem<?> system;
  private final String persistenceId;
  private final EpochHistory history;
  private final Consumer<EpochStamped> onOrphan;
  /** 0 until the leader claimed its epoch: entity tests without a front write epoch 0. */
  private long epoch;
  private long nextSeqNr;
  private long lastReplayedSeqNr;
  private long orphans;

  public EpochStamping(ActorSystem<?> system, String persistenceId, EpochHistory history,
      Consumer<EpochStamped> onOrphan) {
    this.system = system;
    this.persistenceId = persistenceId;
    this.history = history;
    this.onOrphan = onOrphan;
  }

  public EpochStamping(ActorSystem<?> system, String persistenceId, EpochHistory history) {
    this(system, persistenceId, history, orphan -> {});
  }

  /** The epoch this leader claimed; what it writes from now on carries it. */
  public void useEpoch(long claimed) {
    if (claimed <= epoch) {
      throw new IllegalStateException(persistenceId + ": epoch " + claimed + " after " + epoch);
    }
    epoch = claimed;
  }

  public long epoch() {
    return epoch;
  }

  /** Called right before a persist: the first event of it gets {@code seqNr}. */
  public void beginWrite(long seqNr) {
    nextSeqNr = seqNr;
  }

  /** Orphans this replay dropped. */
  public long orphans() {
    return orphans;
  }

  @Override
  public Object toJournal(E event) {
    if (nextSeqNr < 1) {
      throw new IllegalStateException(persistenceId + ": write without beginWrite");
    }
    return new EpochStamped(epoch, nextSeqNr++, SerializedEvent.of(system, event));
  }

  @Override
  public String manifest(E event) {
    return "";
  }

  @Override
  @SuppressWarnings("unchecked")
  public EventSeq<E> fromJournal(Object journaled, String manifest) {
    if (!(journaled instanceof EpochStamped stamped)) {
      return EventSeq.single((E) journaled); // written before leader epochs existed
    }
    var superseding = history.supersededBy(stamped.epoch(), stamped.seqNr());
    if (superseding.isPresent()) {
      orphans++;
      log.error("{}: dropped orphaned event at seqNr {} of epoch {}: epoch {} (node {}) took "
              + "over from seqNr {}; that write was never acknowledged", persistenceId,
          stamped.seqNr(), stamped.epoch(), superseding.get().epoch(),
          superseding.get().nodeId(), superseding.get().startSeqNr());
      onOrphan.accept(stamped);
      return EventSeq.empty();
    }
    if (stamped.seqNr() <= lastReplayedSeqNr) {
      throw new IllegalStateException(persistenceId + ": two events at seqNr "
          + stamped.seqNr() + " (epoch " + stamped.epoch()
          + ") that no later epoch superseded: two writers within one epoch");
    }
    lastReplayedSeqNr = stamped.seqNr();
    return EventSeq.single((E) stamped.event().deserialize(system));
  }
}
