package fabric.core.replication;

import fabric.core.serialization.CborSerializable;
import java.util.List;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;

/**
 * Answers other nodes' questions about this node's followers (the cluster view gathers
 * every node's), at the well-known path {@value #PATH}. A classic actor, so that a plain
 * {@code Patterns.ask} on an actor selection reaches it.
 */
public final class ReplicationStatusReporter extends AbstractActor {
  public static final String NAME = "replication-status";
  public static final String PATH = "/system/" + NAME;

  /** The question. */
  public enum GetFollowers implements CborSerializable { INSTANCE }

  /** The answer: this node's followers. */
  public record Followers(List<FollowerStatus> followers) implements CborSerializable {}

  private final ReplicationStatus status;

  private ReplicationStatusReporter(ReplicationStatus status) {
    this.status = status;
  }

  public static ActorRef start(org.apache.pekko.actor.typed.ActorSystem<?> system) {
    ActorSystem classic = system.classicSystem();
    return ((org.apache.pekko.actor.ExtendedActorSystem) classic).systemActorOf(
        Props.create(ReplicationStatusReporter.class,
            () -> new ReplicationStatusReporter(ReplicationStatus.get(system))), NAME);
  }

  @Override
  public Receive createReceive() {
    return receiveBuilder()
        .match(GetFollowers.class, q -> getSender().tell(new Followers(status.followers()),
            getSelf()))
        .build();
  }
}
