package fabric.queue.service;

import fabric.core.entity.EntityClient;
import fabric.core.entity.Reply;
import fabric.queue.QueueId;
import fabric.queue.SqsErrors;
import fabric.core.error.ServiceException;
import fabric.queue.attributes.RedriveAllowPolicy;
import fabric.queue.attributes.RedrivePolicy;
import fabric.queue.entity.QueueCommand;
import fabric.queue.entity.QueueDefinition;
import fabric.queue.entity.QueueReply;
import fabric.queue.entity.StoredMessage;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves messages between queues: dead letters to their dead-letter queue, and (move tasks)
 * back. A move is at-least-once and never loses a message: the source hides the messages
 * for a lease, the target takes each message id once (its deduplication window), and only
 * then does the source remove them. A move that dies half-way leaves the messages in the
 * source, where the lease ends and the next receive hands them out for moving again.
 */
final class DeadLetters {
  private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
  private final EntityClient entities;
  private final Clock clock;

  DeadLetters(EntityClient entities, Clock clock) {
    this.entities = entities;
    this.clock = clock;
  }

  private CompletionStage<QueueReply.Done> ask(QueueId id,
      java.util.function.Function<ActorRef<Reply>, QueueCommand> command) {
    return entities.ask(QueueDefinition.TYPE_KEY, id.entityId(), command::apply,
        QueueReply.Done.class);
  }

  /** Moves {@code messages} (as {@link StoredMessage#leaving} made them) from source to
   *  target; completes once the source let go of them (counted for {@code taskHandle}, if
   *  a move task moves them). */
  CompletionStage<Void> move(QueueId source, QueueId target, List<StoredMessage> messages,
      String taskHandle) {
    List<Long> seqs = messages.stream().map(StoredMessage::seq).toList();
    return ask(target, r -> new QueueCommand.AcceptMoved(messages, clock.millis(), r))
        .thenCompose(d -> ask(source, r -> new QueueCommand.MovedOut(seqs, taskHandle,
            clock.millis(), r)))
        .thenApply(d -> null);
  }

  /** After a receive: the dead letters it handed out, moved in the background. */
  void moveAfterReceive(QueueId source, QueueReply.DeadLetters dead) {
    QueueId target = QueueId.fromArn(dead.targetArn());
    move(source, target, dead.messages(), null).whenComplete((ok, failure) -> {
      if (failure != null) {
        log.warn("dead letters of queue {} not moved to {} yet ({} messages, retried when "
            + "their lease ends): {}", source.entityId(), target.entityId(),
            dead.messages().size(), failure.toString());
      } else {
        log.debug("moved {} dead letters of queue {} to {}", dead.messages().size(),
            source.entityId(), target.entityId());
      }
    });
  }

  /**
   * A RedrivePolicy about to be set on {@code source} (FIFO or not): its target must exist
   * in the same account and region, be of the same kind, and allow the source.
   */
  CompletionStage<Void> checkTarget(QueueId source, boolean sourceFifo,
      Map<String, String> attributes) {
    String json = attributes.get("RedrivePolicy");
    if (json == null || json.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    RedrivePolicy policy = RedrivePolicy.parse(json);
    QueueId target = QueueId.fromArn(policy.deadLetterTargetArn());
    if (!target.account().equals(source.account()) || !target.region().equals(source.region())
        || target.equals(source)) {
      throw invalid(json, "Dead-letter target must be another queue of the same account "
          + "and region");
    }
    return entities.ask(QueueDefinition.TYPE_KEY, target.entityId(),
        r -> new QueueCommand.GetAttributes(List.of("FifoQueue", "RedriveAllowPolicy"),
            clock.millis(), r), QueueReply.Attributes.class)
        .handle((a, failure) -> {
          if (failure != null) {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException
                && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof ServiceException se && se.error().code().equals(
                SqsErrors.QueueDoesNotExist.awsCode())) {
              throw invalid(json, "Dead letter target does not exist");
            }
            throw cause instanceof RuntimeException re ? re
                : new java.util.concurrent.CompletionException(cause);
          }
          boolean targetFifo = "true".equals(a.attributes().get("FifoQueue"));
          if (targetFifo != sourceFifo) {
            throw invalid(json, sourceFifo ? "Dead-letter target must be a FIFO queue"
                : "Dead-letter target must be a standard queue");
          }
          if (!RedriveAllowPolicy.allows(a.attributes().get("RedriveAllowPolicy"),
              source.arn())) {
            throw invalid(json, "Dead-letter target's RedriveAllowPolicy does not allow "
                + source.arn());
          }
          return null;
        });
  }

  private static RuntimeException invalid(String json, String reason) {
    return SqsErrors.InvalidParameterValue.exception("Value " + json + " for parameter "
        + "RedrivePolicy is invalid. Reason: " + reason + ".");
  }

}
