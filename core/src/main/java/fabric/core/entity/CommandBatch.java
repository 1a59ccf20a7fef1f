package fabric.core.entity;

import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Commands that a {@link GroupCommitFront} collected while its entity was writing: the
 * entity decides them in order and writes all their events at once. Local only (front and
 * entity are parent and child on one node), so it is never serialized.
 */
record CommandBatch(List<EntityCommand> commands, ActorRef<Durable> done)
    implements EntityCommand {

  /** A batch has no single caller; each command carries its own replyTo. */
  @Override
  public ActorRef<Reply> replyTo() {
    return null;
  }

  /**
   * The entity's state as the journal holds it: sent to the front after recovery
   * ({@code batchDone} false) and after every batch, before any reply of that batch, so a
   * read that a caller sends after seeing its write acknowledged always finds that write.
   *
   * @param seqNr the journal sequence number of the state (of the last event written)
   * @param events the events this batch wrote (none after recovery), for the followers
   * @param parked the batch's commands that wait for a change ({@link Outcome.Park})
   */
  record Durable(Object state, boolean batchDone, long seqNr, List<?> events,
      List<Parked> parked) {}

  /** A command that decided to wait, with what it waits for. */
  record Parked(ParkableCommand command, Outcome.Park<?, ?> park) {}
}
