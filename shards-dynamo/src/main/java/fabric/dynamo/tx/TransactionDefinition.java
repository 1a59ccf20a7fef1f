package fabric.dynamo.tx;

import fabric.core.entity.EntityCommand;
import fabric.core.entity.Outcome;
import fabric.core.entity.Reply;
import fabric.core.entity.ResourceDefinition;
import fabric.core.serialization.CborSerializable;
import fabric.dynamo.model.DynamoErrors;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The coordinator of one TransactWriteItems (entity id {@code <account>/<token>}): which
 * partitions take part, and the decision. The decision is the transaction's single point of
 * truth: it is made once (the first Decide wins, durably), so whoever finds a transaction
 * half-way (its driver's node died) finishes it the same way: a pending one is cancelled,
 * a committed one is committed everywhere. The ClientRequestToken makes a retry return the
 * same outcome for 10 minutes.
 */
public final class TransactionDefinition implements ResourceDefinition<
    TransactionDefinition.Command, TransactionDefinition.Event, TransactionDefinition.State> {
  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "Transaction");
  /** DynamoDB keeps a ClientRequestToken's outcome for 10 minutes. */
  public static final long TOKEN_MILLIS = 10 * 60_000;

  public static final String PENDING = "PENDING";
  public static final String COMMITTED = "COMMITTED";
  public static final String CANCELLED = "CANCELLED";

  /** One participating partition and the item keys it holds locks for. */
  public record Participant(String partitionEntityId) implements CborSerializable {}

  public sealed interface Command extends EntityCommand {}

  /** @param digest identifies the request: the same token with another request is refused */
  public record Begin(String digest, List<Participant> participants, long nowMillis,
      ActorRef<Reply> replyTo) implements Command {}

  /** @param reasons per item, for a cancellation (DynamoDB's CancellationReasons codes) */
  public record Decide(boolean commit, List<String> reasons, ActorRef<Reply> replyTo)
      implements Command {}

  public record GetStatus(ActorRef<Reply> replyTo) implements Command {}

  public sealed interface Event extends CborSerializable {}

  public record Begun(String digest, List<Participant> participants, long atMillis)
      implements Event {}

  public record Decided(boolean commit, List<String> reasons) implements Event {}

  /** @param status null before any Begin */
  public record State(String status, String digest, List<Participant> participants,
      List<String> reasons, long startedAtMillis) implements CborSerializable {
    public State {
      participants = participants == null ? List.of() : List.copyOf(participants);
      reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }
  }

  public record Status(String status, List<Participant> participants, List<String> reasons,
      boolean begunNow, long startedAtMillis) implements Reply, CborSerializable {}

  @Override
  public EntityTypeKey<Command> typeKey() {
    return TYPE_KEY;
  }

  @Override
  public State emptyState(String entityId) {
    return new State(null, null, List.of(), List.of(), 0);
  }

  /** None: its status is read by the leader only (decisions must not be read stale). */
  @Override
  public boolean hasFollowers() {
    return false;
  }

  @Override
  public boolean readOnly(Command command) {
    return command instanceof GetStatus;
  }

  private static Status status(State s, boolean begunNow) {
    return new Status(s.status(), s.participants(), s.reasons(), begunNow,
        s.startedAtMillis());
  }

  @Override
  public Outcome<Event, State> decide(State state, Command command) {
    if (command instanceof Begin begin) {
      boolean expired = state.status() != null && !PENDING.equals(state.status())
          && begin.nowMillis() - state.startedAtMillis() > TOKEN_MILLIS;
      if (state.status() == null || expired) {
        return Outcome.persist(new Begun(begin.digest(), begin.participants(),
            begin.nowMillis()), s -> status(s, true));
      }
      if (!state.digest().equals(begin.digest())) {
        throw DynamoErrors.IdempotentParameterMismatchException.exception("The request uses "
            + "the same client token as a previous, but non-identical request. Do not reuse "
            + "a client token with different requests, unless an hour has passed.");
      }
      return Outcome.reply(status(state, false));
    }
    if (command instanceof Decide d) {
      if (state.status() == null) {
        throw DynamoErrors.ResourceNotFoundException.exception("No such transaction");
      }
      return PENDING.equals(state.status())
          ? Outcome.persist(new Decided(d.commit(), d.reasons()), s -> status(s, false))
          : Outcome.reply(status(state, false)); // the first decision stands
    }
    return Outcome.reply(status(state, false));
  }

  @Override
  public State evolve(State s, Event event) {
    if (event instanceof Begun b) {
      return new State(PENDING, b.digest(), b.participants(), List.of(), b.atMillis());
    }
    Decided d = (Decided) event;
    return new State(d.commit() ? COMMITTED : CANCELLED, s.digest(), s.participants(),
        d.reasons(), s.startedAtMillis());
  }
}
