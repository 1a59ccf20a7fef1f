package fabric.core.index;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import fabric.core.entity.EntityCommand;
import fabric.core.entity.Outcome;
import fabric.core.entity.Reply;
import fabric.core.entity.ResourceDefinition;
import fabric.core.serialization.CborSerializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.pcollections.TreePSet;

/**
 * The names of one account's resources of one kind (entity id: the account), for the List
 * operations (ListQueues, ListTables): the resource entities are the truth, this index
 * follows them (registered after a create is acknowledged, removed after a delete; both
 * idempotent, so a retry repairs a missed one). Sorted; paged by the last name returned.
 * Each service keeps its own paging tokens and limits on top.
 */
public final class NameIndexDefinition implements ResourceDefinition<
    NameIndexDefinition.Command, NameIndexDefinition.Event, NameIndexDefinition.State> {
  /** Most names one ListNames returns (the largest page any AWS List operation has). */
  public static final int MAX_PAGE = 1_000;
  private final EntityTypeKey<Command> typeKey;

  /** @param typeName the entity type, e.g. "AccountQueues" (part of the journal's ids) */
  public NameIndexDefinition(String typeName) {
    this.typeKey = EntityTypeKey.create(Command.class, typeName);
  }

  public sealed interface Command extends EntityCommand {}

  public record Register(String name, ActorRef<Reply> replyTo) implements Command {}

  public record Unregister(String name, ActorRef<Reply> replyTo) implements Command {}

  /**
   * @param after the last name of the previous page (exclusive), or null
   * @param limit 1..{@link #MAX_PAGE}
   */
  public record ListNames(String prefix, String after, int limit, ActorRef<Reply> replyTo)
      implements Command {}

  public sealed interface Event extends CborSerializable {}

  public record Registered(String name) implements Event {}

  public record Unregistered(String name) implements Event {}

  public record Done() implements Reply, CborSerializable {}

  /** @param more whether names with the prefix follow the last one */
  public record Names(List<String> names, boolean more) implements Reply, CborSerializable {}

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
    return typeKey;
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
    if (list.limit() < 1 || list.limit() > MAX_PAGE) {
      throw new IllegalArgumentException("limit " + list.limit() + " outside 1.." + MAX_PAGE);
    }
    String prefix = list.prefix() == null ? "" : list.prefix();
    List<String> page = new ArrayList<>();
    boolean more = false;
    for (String name : list.after() == null ? state.names
        : state.names.tailSet(list.after(), false)) {
      if (!name.startsWith(prefix)) {
        if (name.compareTo(prefix) > 0) {
          break; // sorted: past every name with the prefix
        }
        continue;
      }
      if (page.size() == list.limit()) {
        more = true;
        break;
      }
      page.add(name);
    }
    return Outcome.reply(new Names(page, more));
  }

  @Override
  public State evolve(State state, Event event) {
    if (event instanceof Registered r) {
      return new State(state.names.plus(r.name()));
    }
    return new State(state.names.minus(((Unregistered) event).name()));
  }
}
