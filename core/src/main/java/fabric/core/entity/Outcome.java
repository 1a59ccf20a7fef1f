package fabric.core.entity;

import fabric.core.error.ServiceError;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What a command handler decided: events to persist and the reply to send once they are
 * durable, or a reply without any change. Plain data, so a definition's command handler is
 * a pure function that tests call directly.
 *
 * @param <E> the event type
 * @param <S> the state type
 */
public sealed interface Outcome<E, S> {

  /**
   * Persist {@code events}; after the journal acknowledged them, compute the reply from the
   * new state and run {@code afterPersist} (a side effect outside the state, such as freeing
   * a blob that no event references any more).
   */
  record Persist<E, S>(List<E> events, Function<S, Reply> reply, Consumer<S> afterPersist)
      implements Outcome<E, S> {
    public Persist {
      if (events.isEmpty()) {
        throw new IllegalArgumentException("Persist needs at least one event; use Respond");
      }
      Objects.requireNonNull(reply);
      Objects.requireNonNull(afterPersist);
    }

    /** The same outcome with one more side effect after the journal acknowledged. */
    public Persist<E, S> andThen(Consumer<S> next) {
      return new Persist<>(events, reply, afterPersist.andThen(next));
    }
  }

  /** Reply without changing anything. */
  record Respond<E, S>(Reply reply) implements Outcome<E, S> {
    public Respond {
      Objects.requireNonNull(reply);
    }
  }

  /**
   * Nothing to answer yet (a long poll on an empty queue): the front holds the command and
   * decides it again, re-timed ({@link ParkableCommand#at}), after the next write that
   * changed the state or at {@code wakeAtMillis}, and answers {@code onDeadline} once its
   * time reaches {@code deadlineMillis}. Times are in the command's clock.
   */
  record Park<E, S>(long wakeAtMillis, long deadlineMillis, Reply onDeadline)
      implements Outcome<E, S> {
    public Park {
      Objects.requireNonNull(onDeadline);
    }
  }

  static <E, S> Persist<E, S> persist(E event, Function<S, Reply> reply) {
    return new Persist<>(List.of(event), reply, s -> {});
  }

  static <E, S> Persist<E, S> persistAll(List<E> events, Function<S, Reply> reply) {
    return new Persist<>(List.copyOf(events), reply, s -> {});
  }

  static <E, S> Respond<E, S> reply(Reply reply) {
    return new Respond<>(reply);
  }

  static <E, S> Respond<E, S> reject(ServiceError error) {
    return new Respond<>(new Rejected(error));
  }
}
