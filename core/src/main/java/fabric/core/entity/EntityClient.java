package fabric.core.entity;

import fabric.core.error.CommonErrors;
import fabric.core.error.ServiceException;
import fabric.core.replication.FollowerIds;
import fabric.core.replication.ReadConsistency;
import fabric.core.replication.ReadPreference;
import fabric.core.topology.AzDirectory;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * Asks sharded entities and turns their replies into values or {@link ServiceException}s:
 * the one place where an entity's silence (a shard moving after a node died) becomes
 * {@code ServiceUnavailable} rather than a raw timeout. Reads name their consistency: strong
 * ones go to the leader, eventual ones to the follower in the caller's AZ.
 */
public final class EntityClient {
  private final ClusterSharding sharding;
  private final Duration askTimeout;
  private final AzDirectory azs;
  private final boolean followers;

  /**
   * @param azs where followers can answer
   * @param followers whether resource types have followers ({@code fabric.replication.followers})
   */
  public EntityClient(ClusterSharding sharding, Duration askTimeout, AzDirectory azs,
      boolean followers) {
    this.sharding = sharding;
    this.askTimeout = askTimeout;
    this.azs = azs;
    this.followers = followers;
  }

  /**
   * Sends the command built by {@code command} to entity {@code entityId} and completes with
   * its reply of type {@code expected}, or fails with a {@link ServiceException}.
   */
  public <C extends EntityCommand, R extends Reply> CompletionStage<R> ask(
      EntityTypeKey<C> type,
      String entityId,
      Function<ActorRef<Reply>, C> command,
      Class<R> expected) {
    return askWaiting(type, entityId, Duration.ZERO, command, expected);
  }

  /**
   * As {@link #ask}, for a command that may wait up to {@code wait} before answering (a long
   * poll): the ask allows that much more time.
   */
  public <C extends EntityCommand, R extends Reply> CompletionStage<R> askWaiting(
      EntityTypeKey<C> type,
      String entityId,
      Duration wait,
      Function<ActorRef<Reply>, C> command,
      Class<R> expected) {
    return answer(type, entityId, expected,
        sharding.entityRefFor(type, entityId).ask(command::apply, askTimeout.plus(wait)));
  }

  /**
   * A read-only command with a consistency: STRONG asks the leader; EVENTUAL asks the
   * follower in {@code read.az()}, or the leader when that AZ has no serving node (a strong
   * answer is a valid eventual one).
   */
  public <C extends EntityCommand, R extends Reply> CompletionStage<R> ask(
      EntityTypeKey<C> type,
      String entityId,
      ReadPreference read,
      Function<ActorRef<Reply>, C> command,
      Class<R> expected) {
    if (!followers || read.consistency() == ReadConsistency.STRONG
        || !azs.servingAzs().contains(read.az())) {
      return ask(type, entityId, command, expected);
    }
    return answer(type, entityId, expected,
        sharding.entityRefFor(FollowerIds.typeKey(type), FollowerIds.entityId(read.az(), entityId))
            .ask(command::apply, askTimeout));
  }

  private <R extends Reply> CompletionStage<R> answer(EntityTypeKey<?> type, String entityId,
      Class<R> expected, CompletionStage<?> asked) {
    return asked.handle((reply, failure) -> {
      if (failure != null) {
        throw unavailable(type, entityId, failure);
      }
      if (reply instanceof Rejected rejected) {
        throw new ServiceException(rejected.error());
      }
      if (expected.isInstance(reply)) {
        return expected.cast(reply);
      }
      throw CommonErrors.InternalError.exception(
          type.name() + " " + entityId + " answered " + reply.getClass().getSimpleName()
              + " where " + expected.getSimpleName() + " was expected");
    });
  }

  private ServiceException unavailable(EntityTypeKey<?> type, String id, Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    if (cause instanceof ServiceException se) {
      return se;
    }
    String why = cause instanceof TimeoutException
        ? "did not answer within " + askTimeout.toMillis() + " ms (its shard may be moving)"
        : "could not be reached: " + cause.getMessage();
    return CommonErrors.ServiceUnavailable.exception(type.name() + " " + id + " " + why);
  }
}
