package fabric.queue.service;

import fabric.core.entity.EntityClient;
import fabric.core.entity.Reply;
import fabric.core.error.ServiceException;
import fabric.queue.QueueId;
import fabric.queue.SqsErrors;
import fabric.queue.entity.MoveTask;
import fabric.queue.entity.QueueCommand;
import fabric.queue.entity.QueueDefinition;
import fabric.queue.entity.QueueReply;
import fabric.queue.entity.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * StartMessageMoveTask, ListMessageMoveTasks and CancelMessageMoveTask. The task lives in
 * the dead-letter queue's entity (durable: status, counts); the node that started it drives
 * it: takes up to 10 messages at a time under a lease, moves them ({@link DeadLetters#move},
 * each message id taken once by its destination), and has them counted. A task whose driver
 * died (its node) shows RUNNING without progress; listing it after {@link
 * MoveTask#DRIVER_LEASE_MILLIS} resumes it on the listing node.
 */
public final class MessageMoveTasks {
  private static final Logger log = LoggerFactory.getLogger(MessageMoveTasks.class);
  private static final int BATCH = 10;
  /** Consecutive failed steps before a driver gives up (a later listing resumes it). */
  private static final int MAX_FAILED_STEPS = 30;
  private final EntityClient entities;
  private final Clock clock;
  private final DeadLetters moves;
  /** The tasks this node drives, so a listing does not start a second driver here. */
  private final Set<String> driving = ConcurrentHashMap.newKeySet();

  MessageMoveTasks(EntityClient entities, Clock clock, DeadLetters moves) {
    this.entities = entities;
    this.clock = clock;
    this.moves = moves;
  }

  private <R extends QueueReply> CompletionStage<R> ask(QueueId id,
      Function<ActorRef<Reply>, QueueCommand> command, Class<R> expected) {
    return entities.ask(QueueDefinition.TYPE_KEY, id.entityId(), command::apply, expected);
  }

  /** The opaque TaskHandle: names the task and its source queue (Cancel gets only this). */
  static String handle(String taskId, QueueId source) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(
        (taskId + "|" + source.arn()).getBytes(StandardCharsets.UTF_8));
  }

  static QueueId sourceOf(String handle) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(handle), StandardCharsets.UTF_8);
      int bar = text.indexOf('|');
      if (bar < 0) {
        throw new IllegalArgumentException("no source");
      }
      return QueueId.fromArn(text.substring(bar + 1));
    } catch (IllegalArgumentException | ServiceException e) {
      throw SqsErrors.ResourceNotFoundException.exception("The task handle " + handle
          + " does not name a message move task.");
    }
  }

  private static QueueId ownQueue(String account, String arn, String parameter) {
    if (arn == null || arn.isEmpty()) {
      throw SqsErrors.MissingParameter.exception("The request must contain the parameter "
          + parameter + ".");
    }
    QueueId id = QueueId.fromArn(arn);
    if (!id.account().equals(account)) {
      throw SqsErrors.ResourceNotFoundException.exception("The resource that you specified for "
          + "the " + parameter + " parameter does not exist.");
    }
    return id;
  }

  /** @return the task handle */
  public CompletionStage<String> start(String account, String sourceArn, String destinationArn,
      Integer maxPerSecond) {
    QueueId source = ownQueue(account, sourceArn, "SourceArn");
    QueueId destination = destinationArn == null ? null
        : ownQueue(account, destinationArn, "DestinationArn");
    String handle = handle(UUID.randomUUID().toString(), source);
    CompletionStage<?> destinationExists = destination == null
        ? CompletableFuture.completedFuture(null)
        : ask(destination, r -> new QueueCommand.GetAttributes(List.of(), clock.millis(), r),
            QueueReply.Attributes.class);
    return destinationExists
        .thenCompose(d -> ask(source, r -> new QueueCommand.StartMoveTask(handle,
            destinationArn, maxPerSecond, clock.millis(), r), QueueReply.MoveTaskState.class))
        .thenApply(started -> {
          drive(source, handle);
          return handle;
        });
  }

  public CompletionStage<List<MoveTask>> list(String account, String sourceArn, int maxResults) {
    QueueId source = ownQueue(account, sourceArn, "SourceArn");
    if (maxResults < 0 || maxResults > 10) {
      throw SqsErrors.InvalidParameterValue.exception("Value " + maxResults + " for parameter "
          + "MaxResults is invalid. Reason: Must be between 1 and 10, if provided.");
    }
    int max = maxResults == 0 ? 1 : maxResults;
    return ask(source, r -> new QueueCommand.ListMoveTasks(clock.millis(), r),
        QueueReply.MoveTasks.class).thenApply(tasks -> {
          long now = clock.millis();
          for (MoveTask t : tasks.tasks()) {
            if (t.running() && now - t.lastActiveAtMillis() > MoveTask.DRIVER_LEASE_MILLIS) {
              log.info("move task {} of queue {} idle since {}: resuming it here", t.handle(),
                  source.entityId(), t.lastActiveAtMillis());
              drive(source, t.handle());
            }
          }
          return tasks.tasks().stream().limit(max).toList();
        });
  }

  /** @return how many messages the task moved */
  public CompletionStage<Long> cancel(String account, String handle) {
    QueueId source = sourceOf(handle);
    if (!source.account().equals(account)) {
      throw SqsErrors.ResourceNotFoundException.exception("The task handle " + handle
          + " does not name a message move task.");
    }
    return ask(source, r -> new QueueCommand.CancelMoveTask(handle, clock.millis(), r),
        QueueReply.MoveTaskState.class).thenApply(s -> s.task().moved());
  }

  private void drive(QueueId source, String handle) {
    if (driving.add(handle)) {
      step(source, handle, 0);
    }
  }

  private void step(QueueId source, String handle, int failedSteps) {
    long startedMillis = clock.millis();
    ask(source, r -> new QueueCommand.TakeForMove(handle, BATCH, clock.millis(), r),
        QueueReply.MoveBatch.class)
        .thenCompose(batch -> moveAll(source, handle, batch).thenApply(v -> batch))
        .whenComplete((batch, failure) -> {
          if (failure != null) {
            onFailure(source, handle, failedSteps, failure);
          } else if (!batch.task().running()) {
            driving.remove(handle);
            log.info("move task {} of queue {} ended {}: {} of {} messages moved", handle,
                source.entityId(), batch.task().status(), batch.task().moved(),
                batch.task().toMove());
          } else if (batch.moves().isEmpty()) {
            // Its messages are still being read back from the queue's journal.
            later(500, () -> step(source, handle, 0));
          } else {
            Integer rate = batch.task().maxPerSecond();
            long dueMillis = rate == null ? 0
                : startedMillis + batch.moves().size() * 1_000L / rate - clock.millis();
            later(Math.max(0, dueMillis), () -> step(source, handle, 0));
          }
        });
  }

  private CompletionStage<Void> moveAll(QueueId source, String handle,
      QueueReply.MoveBatch batch) {
    Map<String, List<StoredMessage>> byDestination = new LinkedHashMap<>();
    batch.moves().forEach(m -> byDestination.computeIfAbsent(m.destinationArn(),
        k -> new ArrayList<>()).add(m.message()));
    List<CompletableFuture<Void>> all = new ArrayList<>();
    byDestination.forEach((arn, messages) -> all.add(moves.move(source, QueueId.fromArn(arn),
        messages, handle).toCompletableFuture()));
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
  }

  private void onFailure(QueueId source, String handle, int failedSteps, Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    boolean gone = cause instanceof ServiceException se
        && se.error().code().equals(SqsErrors.QueueDoesNotExist.awsCode());
    if (gone || failedSteps + 1 >= MAX_FAILED_STEPS) {
      driving.remove(handle);
      log.warn("move task {} of queue {} fails: {}", handle, source.entityId(),
          cause.getMessage());
      ask(source, r -> new QueueCommand.FailMoveTask(handle, gone
          ? "A queue of the task does not exist: " + cause.getMessage()
          : "Stopped after " + MAX_FAILED_STEPS + " failed attempts: " + cause.getMessage(),
          clock.millis(), r), QueueReply.MoveTaskState.class);
      return;
    }
    // Unavailable (a failover): the leased messages come back after their lease; go on.
    log.debug("move task {} step failed, retrying: {}", handle, cause.toString());
    later(1_000, () -> step(source, handle, failedSteps + 1));
  }

  private static void later(long delayMillis, Runnable action) {
    CompletableFuture.runAsync(action,
        CompletableFuture.delayedExecutor(delayMillis, TimeUnit.MILLISECONDS));
  }
}
