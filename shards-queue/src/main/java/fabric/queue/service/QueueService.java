package fabric.queue.service;

import fabric.core.entity.EntityClient;
import fabric.core.entity.Reply;
import fabric.core.error.CommonErrors;
import fabric.core.error.ServiceException;
import fabric.core.index.NameIndexDefinition;
import fabric.queue.QueueId;
import fabric.queue.SqsErrors;
import fabric.queue.attributes.QueueAttributes;
import fabric.queue.attributes.QueueNames;
import fabric.queue.entity.QueueCommand;
import fabric.queue.entity.QueueDefinition;
import fabric.queue.entity.QueueReply;
import fabric.queue.message.OutgoingMessage;
import fabric.queue.message.SendChecks;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * SQS's operations, independent of the protocol that carries them (gRPC now, the AWS wire
 * protocol later): queue URLs to entities, the caller's clock into every command, message
 * ids chosen here so the entity decides deterministically.
 */
public final class QueueService {
  /** Each account's queue names, for ListQueues. */
  public static final NameIndexDefinition QUEUE_NAMES = new NameIndexDefinition("AccountQueues");
  private final EntityClient entities;
  private final String region;
  private final String endpoint;
  private final Clock clock;
  private final DeadLetters deadLetters;
  private final MessageMoveTasks moveTasks;

  public QueueService(EntityClient entities, String region, String endpoint, Clock clock) {
    this.entities = entities;
    this.region = region;
    this.endpoint = endpoint;
    this.clock = clock;
    this.deadLetters = new DeadLetters(entities, clock);
    this.moveTasks = new MessageMoveTasks(entities, clock, deadLetters);
  }

  /** StartMessageMoveTask, ListMessageMoveTasks, CancelMessageMoveTask. */
  public MessageMoveTasks moveTasks() {
    return moveTasks;
  }

  /** The queue a URL names, if it is the caller's (no cross-account access yet). */
  private QueueId queue(String account, String url) {
    QueueId id = QueueId.fromUrl(region, url);
    if (!id.account().equals(account)) {
      throw SqsErrors.QueueDoesNotExist.exception("The specified queue does not exist.");
    }
    return id;
  }

  private <R extends QueueReply> CompletionStage<R> ask(QueueId id,
      Function<ActorRef<Reply>, QueueCommand> command, Class<R> expected) {
    return entities.ask(QueueDefinition.TYPE_KEY, id.entityId(), command::apply, expected);
  }

  public CompletionStage<String> createQueue(String account, String name,
      Map<String, String> attributes, Map<String, String> tags) {
    boolean fifo = QueueNames.isFifo(name) || "true".equalsIgnoreCase(
        attributes.getOrDefault("FifoQueue", ""));
    QueueNames.validate(name, fifo);
    QueueId id = new QueueId(region, account, name);
    return deadLetters.checkTarget(id, fifo, attributes)
        .thenCompose(checked -> ask(id, r -> new QueueCommand.Create(region, attributes, tags,
            clock.millis(), r), QueueReply.Done.class))
        .thenCompose(done -> index(account, r -> new NameIndexDefinition.Register(name, r)))
        .thenApply(done -> id.url(endpoint));
  }

  private CompletionStage<NameIndexDefinition.Done> index(String account,
      Function<ActorRef<Reply>, NameIndexDefinition.Command> command) {
    return entities.ask(QUEUE_NAMES.typeKey(), account, command::apply,
        NameIndexDefinition.Done.class);
  }

  public record QueueUrls(List<String> urls, String nextToken) {}

  /** ListQueues: the account's queues by name prefix, a page of at most 1,000. */
  public CompletionStage<QueueUrls> listQueues(String account, String prefix, int maxResults,
      String nextToken) {
    if (maxResults < 0 || maxResults > NameIndexDefinition.MAX_PAGE) {
      throw SqsErrors.InvalidParameterValue.exception("Value " + maxResults
          + " for parameter MaxResults is invalid. Reason: must be between 1 and "
          + NameIndexDefinition.MAX_PAGE + ".");
    }
    String after = ListQueuesTokens.decode(nextToken);
    int limit = maxResults == 0 ? NameIndexDefinition.MAX_PAGE : maxResults;
    return entities.ask(QUEUE_NAMES.typeKey(), account,
        r -> new NameIndexDefinition.ListNames(prefix, after, limit, r),
        NameIndexDefinition.Names.class).thenApply(names -> new QueueUrls(
            names.names().stream().map(n -> new QueueId(region, account, n).url(endpoint))
                .toList(),
            // AWS pages only when MaxResults was given.
            names.more() && maxResults > 0
                ? ListQueuesTokens.encode(names.names().get(names.names().size() - 1))
                : null));
  }

  public CompletionStage<String> getQueueUrl(String account, String name, String owner) {
    String queueOwner = owner == null || owner.isEmpty() ? account : owner;
    QueueNames.validate(name, QueueNames.isFifo(name));
    QueueId id = new QueueId(region, queueOwner, name);
    return ask(id, r -> new QueueCommand.GetAttributes(List.of(), clock.millis(), r),
        QueueReply.Attributes.class).thenApply(a -> id.url(endpoint));
  }

  public CompletionStage<Void> deleteQueue(String account, String url) {
    QueueId id = queue(account, url);
    return ask(id, r -> new QueueCommand.Delete(clock.millis(), r), QueueReply.Done.class)
        .thenCompose(d -> index(account, r -> new NameIndexDefinition.Unregister(id.name(),
            r)))
        .thenApply(d -> null);
  }

  public CompletionStage<Map<String, String>> getAttributes(String account, String url,
      List<String> names) {
    return ask(queue(account, url), r -> new QueueCommand.GetAttributes(names, clock.millis(),
        r), QueueReply.Attributes.class).thenApply(QueueReply.Attributes::attributes);
  }

  public CompletionStage<Void> setAttributes(String account, String url,
      Map<String, String> attributes) {
    QueueId id = queue(account, url);
    CompletionStage<Void> checked = !attributes.containsKey("RedrivePolicy")
        ? java.util.concurrent.CompletableFuture.completedFuture(null)
        : ask(id, r -> new QueueCommand.GetAttributes(List.of("FifoQueue"), clock.millis(), r),
            QueueReply.Attributes.class).thenCompose(a -> deadLetters.checkTarget(id,
                "true".equals(a.attributes().get("FifoQueue")), attributes));
    return checked.thenCompose(c -> ask(id, r -> new QueueCommand.SetAttributes(attributes,
        clock.millis(), r), QueueReply.Done.class)).thenApply(d -> null);
  }

  public CompletionStage<Void> tag(String account, String url, Map<String, String> tags) {
    return ask(queue(account, url), r -> new QueueCommand.Tag(tags, clock.millis(), r),
        QueueReply.Done.class).thenApply(d -> null);
  }

  public CompletionStage<Void> untag(String account, String url, List<String> keys) {
    return ask(queue(account, url), r -> new QueueCommand.Untag(keys, clock.millis(), r),
        QueueReply.Done.class).thenApply(d -> null);
  }

  public CompletionStage<Map<String, String>> listTags(String account, String url) {
    return ask(queue(account, url), r -> new QueueCommand.ListTags(clock.millis(), r),
        QueueReply.Tags.class).thenApply(QueueReply.Tags::tags);
  }

  public CompletionStage<Void> purge(String account, String url) {
    return ask(queue(account, url), r -> new QueueCommand.Purge(clock.millis(), r),
        QueueReply.Done.class).thenApply(d -> null);
  }

  /** One message: an entry failure becomes the call's error. */
  public CompletionStage<QueueReply.Sent> send(String account, String url,
      OutgoingMessage message) {
    return sendBatch(account, url, List.of(new Entry<>("0", message))).thenApply(results -> {
      if (!results.failed().isEmpty()) {
        throw failure(results.failed().get(0));
      }
      return results.successful().get(0);
    });
  }

  public record Entry<T>(String id, T value) {}

  public CompletionStage<QueueReply.SendResults> sendBatch(String account, String url,
      List<Entry<OutgoingMessage>> entries) {
    QueueId id = queue(account, url);
    SendChecks.checkBatch("SendMessageBatchRequestEntry",
        entries.stream().map(Entry::id).toList(),
        entries.stream().mapToLong(e -> e.value().sizeBytes()).sum());
    List<QueueCommand.SendEntry> commands = entries.stream()
        .map(e -> new QueueCommand.SendEntry(e.id(), UUID.randomUUID().toString(), e.value()))
        .toList();
    return ask(id, r -> new QueueCommand.Send(commands, clock.millis(), r),
        QueueReply.SendResults.class);
  }

  /**
   * @param waitTimeSeconds long polling: answers as soon as a message is there, or empty
   *     after this many seconds; null = the queue's ReceiveMessageWaitTimeSeconds
   */
  public CompletionStage<QueueReply.Received> receive(String account, String url,
      int maxMessages, Integer visibilityTimeoutSeconds, Integer waitTimeSeconds) {
    if (waitTimeSeconds != null && (waitTimeSeconds < 0
        || waitTimeSeconds > QueueAttributes.MAX_WAIT_SECONDS)) {
      throw SqsErrors.InvalidParameterValue.exception("Value " + waitTimeSeconds
          + " for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= "
          + QueueAttributes.MAX_WAIT_SECONDS + ", if provided.");
    }
    QueueId id = queue(account, url);
    long now = clock.millis();
    // The queue's own default may be up to 20 s: allow for it when the caller did not say.
    Duration mayWait = Duration.ofSeconds(waitTimeSeconds != null ? waitTimeSeconds
        : QueueAttributes.MAX_WAIT_SECONDS);
    return entities.askWaiting(QueueDefinition.TYPE_KEY, id.entityId(), mayWait,
        r -> new QueueCommand.Receive(maxMessages == 0 ? 1 : maxMessages,
            visibilityTimeoutSeconds, waitTimeSeconds, now, now, r),
        QueueReply.Received.class).thenApply(received -> {
          if (received.deadLetters() != null) {
            deadLetters.moveAfterReceive(id, received.deadLetters());
          }
          return received;
        });
  }

  public CompletionStage<QueueReply.BatchResults> deleteBatch(String account, String url,
      List<Entry<String>> handles) {
    QueueId id = queue(account, url);
    SendChecks.checkBatch("DeleteMessageBatchRequestEntry",
        handles.stream().map(Entry::id).toList(), 0);
    return ask(id, r -> new QueueCommand.DeleteMessages(handles.stream()
            .map(h -> new QueueCommand.HandleEntry(h.id(), h.value())).toList(), clock.millis(),
        r), QueueReply.BatchResults.class);
  }

  public CompletionStage<QueueReply.BatchResults> changeVisibilityBatch(String account,
      String url, List<QueueCommand.VisibilityEntry> entries) {
    QueueId id = queue(account, url);
    SendChecks.checkBatch("ChangeMessageVisibilityBatchRequestEntry",
        entries.stream().map(QueueCommand.VisibilityEntry::entryId).toList(), 0);
    return ask(id, r -> new QueueCommand.ChangeVisibility(entries, clock.millis(), r),
        QueueReply.BatchResults.class);
  }

  /** A batch of one: its entry failure becomes the call's error. */
  public static CompletionStage<Void> single(CompletionStage<QueueReply.BatchResults> batch) {
    return batch.thenApply(results -> {
      if (!results.failed().isEmpty()) {
        throw failure(results.failed().get(0));
      }
      return null;
    });
  }

  private static ServiceException failure(QueueReply.EntryFailure f) {
    for (SqsErrors e : SqsErrors.values()) {
      if (e.awsCode().equals(f.code())) {
        return new ServiceException(e.withMessage(f.message()));
      }
    }
    return new ServiceException(CommonErrors.InternalError.withMessage(f.message()));
  }
}
