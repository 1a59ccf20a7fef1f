package fabric.core.entity;

import fabric.core.serialization.CborSerializable;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * A command to a resource entity. Every command carries the actor to answer; the framework
 * sends it exactly one {@link Reply}, after the journal acknowledged any events.
 */
public interface EntityCommand extends CborSerializable {
  ActorRef<Reply> replyTo();
}
