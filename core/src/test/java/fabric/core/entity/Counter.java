package fabric.core.entity;

import fabric.core.error.CommonErrors;
import fabric.core.serialization.CborSerializable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/** A minimal resource for framework tests: adds numbers, refuses negative ones. */
public final class Counter implements ResourceDefinition<Counter.Command, Counter.Added, Counter.Total> {
  public static final EntityTypeKey<Command> KEY = EntityTypeKey.create(Command.class, "Counter");

  public sealed interface Command extends EntityCommand {}

  public record Add(int amount, ActorRef<Reply> replyTo) implements Command {}

  public record Get(ActorRef<Reply> replyTo) implements Command {}

  /** Waits (long-poll style) until the total reaches {@code min}, or answers the total at
   *  {@code deadlineMillis}. */
  public record WaitFor(long min, long nowMillis, long deadlineMillis, ActorRef<Reply> replyTo)
      implements Command, ParkableCommand {
    @Override
    public ParkableCommand at(long millis) {
      return new WaitFor(min, millis, deadlineMillis, replyTo);
    }
  }

  public record Added(int amount) implements CborSerializable {}

  public record Total(long value) implements CborSerializable, Reply {}

  /** Snapshot interval by total (snapshot tests); null = the framework's default. */
  private final java.util.function.LongUnaryOperator snapshotEveryByTotal;

  public Counter() {
    this(null);
  }

  /** Journal events deletable by total (journal deletion tests); null = none. */
  private final java.util.function.LongUnaryOperator deletableByTotal;

  public Counter(java.util.function.LongUnaryOperator snapshotEveryByTotal) {
    this(snapshotEveryByTotal, null);
  }

  public Counter(java.util.function.LongUnaryOperator snapshotEveryByTotal,
      java.util.function.LongUnaryOperator deletableByTotal) {
    this.snapshotEveryByTotal = snapshotEveryByTotal;
    this.deletableByTotal = deletableByTotal;
  }

  @Override
  public long journalDeletableUpTo(Total state) {
    return deletableByTotal == null ? 0 : deletableByTotal.applyAsLong(state.value());
  }

  @Override
  public long snapshotEveryEvents(Total state) {
    return snapshotEveryByTotal == null ? snapshotEveryEvents()
        : snapshotEveryByTotal.applyAsLong(state.value());
  }

  @Override
  public EntityTypeKey<Command> typeKey() {
    return KEY;
  }

  @Override
  public Total emptyState(String entityId) {
    return new Total(0);
  }

  @Override
  public boolean readOnly(Command command) {
    return command instanceof Get;
  }

  @Override
  public Outcome<Added, Total> decide(Total state, Command command) {
    if (command instanceof Add add) {
      if (add.amount() < 0) {
        return Outcome.reject(CommonErrors.InvalidArgument.withMessage(
            "amount must not be negative, got " + add.amount()));
      }
      return Outcome.persist(new Added(add.amount()), s -> s);
    }
    if (command instanceof WaitFor wait && state.value() < wait.min()) {
      return new Outcome.Park<>(Long.MAX_VALUE, wait.deadlineMillis(), state);
    }
    return Outcome.reply(state);
  }

  @Override
  public Total evolve(Total state, Added event) {
    return new Total(state.value() + event.amount());
  }
}
