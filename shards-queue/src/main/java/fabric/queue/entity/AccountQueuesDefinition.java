package fabric.queue.entity;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import fabric.core.entity.EntityCommand;
import fabric.core.entity.Outcome;
import fabric.core.entity.Reply;
import fabric.core.entity.ResourceDefinition;
import fabric.core.serialization.CborSerializable;
import fabric.queue.SqsErrors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.pcollections.TreePSet;

/**
 * The queue names of one account (entity id: the account), for ListQueues: the queue
 * entities are the truth, this index follows them (registered after a create is
 * acknowledged, removed after a delete; both idempotent, so a retry repairs a missed one).
 */
public final class AccountQueuesDefinition implements ResourceDefinition<
    AccountQueuesDefinition.Command, AccountQueuesDefinition.Event,
    AccountQueuesDefinition.State> {
  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "AccountQueues");
  public static final int MAX_RESULTS = 1_000;

  public sealed interface Command extends EntityCommand {}

  public record Register(String name, ActorRef<Reply> replyTo) implements Command {}

  public record Unregister(String name, ActorRef<Reply> replyTo) implements Command {}

  /** @param maxResults 0 = up to {@link #MAX_RESULTS} without a next token */
  public record ListNames(String prefix, int maxResults, String nextToken,
      ActorRef<Reply> replyTo) implements Command {}

  public sealed interface Event extends CborSerializable {}

  public record Registered(String name) implements Event {}

  public record Unregistered(String name) implements Event {}

  public record Done() implements Reply, CborSerializable {}

  public record Names(List<String> names, String nextToken) implements Reply, CborSerializable {}

  /** The names, sorted (persistent set; a snapshot is the list). */
  public static final class State implements CborSerializable {
    private final TreePSet<String> names;

    private State(TreePSet<String> names) {
      this.names = names;
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static State fromList(List<String> list) {
      return new State(TreePSet.from(list == null ? List.of() : list));
    }

    @JsonValue
    public List<String> toList() {
      return new ArrayList<>(names);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof State s && names.equals(s.names);
    }

    @Override
    public int hashCode() {
      return names.hashCode();
    }
  }

  @Override
  public EntityTypeKey<Command> typeKey() {
    return TYPE_KEY;
  }

  @Override
  public State emptyState(String entityId) {
    return new State(TreePSet.empty());
  }

  @Override
  public boolean readOnly(Command command) {
    return command instanceof ListNames;
  }

  @Override
  public Outcome<Event, State> decide(State state, Command command) {
    if (command instanceof Register r) {
      return state.names.contains(r.name()) ? Outcome.reply(new Done())
          : Outcome.persist(new Registered(r.name()), s -> new Done());
    }
    if (command instanceof Unregister u) {
      return !state.names.contains(u.name()) ? Outcome.reply(new Done())
          : Outcome.persist(new Unregistered(u.name()), s -> new Done());
    }
    ListNames list = (ListNames) command;
    if (list.maxResults() < 0 || list.maxResults() > MAX_RESULTS) {
      throw SqsErrors.InvalidParameterValue.exception("Value " + list.maxResults()
          + " for parameter MaxResults is invalid. Reason: must be between 1 and "
          + MAX_RESULTS + ".");
    }
    String prefix = list.prefix() == null ? "" : list.prefix();
    String after = decodeToken(list.nextToken());
    int limit = list.maxResults() == 0 ? MAX_RESULTS : list.maxResults();
    List<String> page = new ArrayList<>();
    String last = null;
    boolean more = false;
    for (String name : after == null ? state.names : state.names.tailSet(after, false)) {
      if (!name.startsWith(prefix)) {
        if (name.compareTo(prefix) > 0) {
          break; // sorted: past every name with the prefix
        }
        continue;
      }
      if (page.size() == limit) {
        more = true;
        break;
      }
      page.add(name);
      last = name;
    }
    String token = more && list.maxResults() > 0 ? encodeToken(last) : null;
    return Outcome.reply(new Names(page, token));
  }

  private static String encodeToken(String lastName) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(("n1:" + lastName).getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeToken(String token) {
    if (token == null || token.isEmpty()) {
      return null;
    }
    try {
      String plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (plain.startsWith("n1:")) {
        return plain.substring(3);
      }
    } catch (IllegalArgumentException e) {
      // not ours: below
    }
    throw SqsErrors.InvalidParameterValue.exception("Invalid NextToken value: '" + token
        + "'.");
  }

  @Override
  public State evolve(State state, Event event) {
    if (event instanceof Registered r) {
      return new State(state.names.plus(r.name()));
    }
    return new State(state.names.minus(((Unregistered) event).name()));
  }
}
