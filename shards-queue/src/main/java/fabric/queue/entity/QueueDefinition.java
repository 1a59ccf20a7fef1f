package fabric.queue.entity;

import fabric.core.entity.Outcome;
import fabric.core.entity.ResourceDefinition;
import fabric.core.error.ServiceException;
import fabric.queue.QueueId;
import fabric.queue.SqsErrors;
import fabric.queue.attributes.QueueAttributes;
import fabric.queue.attributes.QueueNames;
import fabric.queue.entity.QueueCommand.ChangeVisibility;
import fabric.queue.entity.QueueCommand.Create;
import fabric.queue.entity.QueueCommand.DeleteMessages;
import fabric.queue.entity.QueueCommand.GetAttributes;
import fabric.queue.entity.QueueCommand.HandleEntry;
import fabric.queue.entity.QueueCommand.Receive;
import fabric.queue.entity.QueueCommand.Send;
import fabric.queue.entity.QueueCommand.SendEntry;
import fabric.queue.entity.QueueCommand.VisibilityEntry;
import fabric.queue.entity.QueueEvent.Visibility;
import fabric.queue.entity.QueueReply.EntryFailure;
import fabric.queue.message.MessageDigests;
import fabric.queue.message.ReceiptHandle;
import fabric.queue.message.SendChecks;
import fabric.core.entity.JournalRead;
import fabric.core.entity.Reply;
import java.util.ArrayList;
import org.apache.pekko.actor.typed.ActorRef;
import java.util.List;
import java.util.Map;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * A standard SQS queue as one resource (FIFO, dead-letter queues and long polling follow,
 * docs/progress.md). Entity id: {@code <account>/<name>}. Time comes with every command;
 * visibility, delays and retention are comparisons against it, so a failover loses nothing.
 */
public final class QueueDefinition
    implements ResourceDefinition<QueueCommand, QueueEvent, QueueState> {
  public static final EntityTypeKey<QueueCommand> TYPE_KEY =
      EntityTypeKey.create(QueueCommand.class, "Queue");
  public static final int MAX_RECEIVE = 10;
  /**
   * Fresh messages a queue keeps in memory; beyond them messages wait in the journal (the
   * backlog) and are read back as receives drain memory. Part of the event handler's logic:
   * every node must use the same value, and a journal must be replayed with the value it
   * was written with. 2,000 keeps a snapshot under ~1 MB of 256-byte messages while one
   * read-back (up to 1,000 events) refills the window long before receivers drain it.
   */
  public static final int WINDOW_MESSAGES = 2_000;
  /** Events read back per journal read (a send event holds up to 10 messages). */
  static final int READ_EVENTS = 1_000;
  private final int windowMessages;
  private final QueueEvolution evolution;

  public QueueDefinition() {
    this(WINDOW_MESSAGES);
  }

  /** A queue with a smaller window: tests reach the backlog with few messages. */
  public QueueDefinition(int windowMessages) {
    this.windowMessages = windowMessages;
    this.evolution = new QueueEvolution(windowMessages);
  }
  /** AWS refuses to recreate a deleted queue's name this soon. */
  static final long RECREATE_AFTER_MILLIS = 60_000;
  /** AWS allows one PurgeQueue per queue per minute. */
  static final long PURGE_INTERVAL_MILLIS = 60_000;

  @Override
  public EntityTypeKey<QueueCommand> typeKey() {
    return TYPE_KEY;
  }

  @Override
  public QueueState emptyState(String entityId) {
    return QueueState.empty(entityId);
  }

  /**
   * None: SQS has no eventually consistent reads (nearly every operation writes: receives
   * too), so followers would only double the cluster traffic of every write.
   */
  /** A queue's snapshot is up to a window of messages: not after every 1,000 events. */
  @Override
  public int snapshotEveryEvents() {
    return 2_000;
  }

  @Override
  public boolean hasFollowers() {
    return false;
  }

  @Override
  public boolean readOnly(QueueCommand command) {
    return command instanceof GetAttributes || command instanceof QueueCommand.ListTags
        || command instanceof QueueCommand.ListMoveTasks;
  }

  @Override
  public Outcome<QueueEvent, QueueState> decide(QueueState state, QueueCommand command) {
    if (command instanceof Create create) {
      return create(state, create);
    }
    if (!state.exists()) {
      throw SqsErrors.QueueDoesNotExist.exception("The specified queue does not exist.");
    }
    if (command instanceof GetAttributes get) {
      return Outcome.reply(new QueueReply.Attributes(
          QueueAttributeView.of(state, get.names(), get.nowMillis())));
    }
    if (command instanceof QueueCommand.SetAttributes set) {
      return Outcome.persist(new QueueEvent.AttributesSet(
          state.attributes().with(set.attributes(), false), set.nowMillis()),
          s -> new QueueReply.Done());
    }
    if (command instanceof QueueCommand.Delete delete) {
      return Outcome.persist(new QueueEvent.Deleted(delete.nowMillis()),
          s -> new QueueReply.Done());
    }
    if (command instanceof Send send) {
      return MessageDecisions.send(state, send);
    }
    if (command instanceof Receive receive) {
      return MessageDecisions.receive(state, receive);
    }
    if (command instanceof DeleteMessages delete) {
      return MessageDecisions.deleteMessages(state, delete);
    }
    if (command instanceof QueueCommand.LoadBacklog load) {
      return BacklogReads.decide(state, load, windowMessages);
    }
    if (command instanceof QueueCommand.AcceptMoved accept) {
      return MessageDecisions.acceptMoved(state, accept);
    }
    if (command instanceof QueueCommand.MovedOut moved) {
      return MessageDecisions.movedOut(state, moved);
    }
    if (command instanceof QueueCommand.StartMoveTask start) {
      return MoveTaskDecisions.start(state, start);
    }
    if (command instanceof QueueCommand.TakeForMove take) {
      return MoveTaskDecisions.take(state, take);
    }
    if (command instanceof QueueCommand.CancelMoveTask cancel) {
      return MoveTaskDecisions.cancel(state, cancel);
    }
    if (command instanceof QueueCommand.FailMoveTask fail) {
      return MoveTaskDecisions.fail(state, fail);
    }
    if (command instanceof QueueCommand.ListMoveTasks) {
      return Outcome.reply(new QueueReply.MoveTasks(state.moveTasks()));
    }
    if (command instanceof ChangeVisibility change) {
      return MessageDecisions.changeVisibility(state, change);
    }
    if (command instanceof QueueCommand.ListTags) {
      return Outcome.reply(new QueueReply.Tags(state.tags()));
    }
    if (command instanceof QueueCommand.Tag tag) {
      Map<String, String> tags = new java.util.TreeMap<>(state.tags());
      tags.putAll(QueueTags.checked(tag.tags()));
      QueueTags.checkCount(tags.size());
      return Outcome.persist(new QueueEvent.TagsSet(tags), s -> new QueueReply.Done());
    }
    if (command instanceof QueueCommand.Untag untag) {
      Map<String, String> tags = new java.util.TreeMap<>(state.tags());
      untag.keys().forEach(tags::remove);
      return Outcome.persist(new QueueEvent.TagsSet(tags), s -> new QueueReply.Done());
    }
    return purge(state, (QueueCommand.Purge) command);
  }

  private Outcome<QueueEvent, QueueState> create(QueueState state, Create create) {
    QueueId id = QueueId.fromEntityId(create.region(), state.entityId());
    QueueAttributes wanted = QueueAttributes.forCreate(id.name(), create.attributes());
    if (state.exists()) {
      if (state.attributes().equals(wanted)) {
        return Outcome.reply(new QueueReply.Done()); // idempotent, as AWS
      }
      throw SqsErrors.QueueAlreadyExists.exception("A queue already exists with the same "
          + "name and a different value for attribute(s) " + differing(state.attributes(),
          wanted) + ".");
    }
    if (state.deletedAtMillis() > 0
        && create.nowMillis() - state.deletedAtMillis() < RECREATE_AFTER_MILLIS) {
      throw SqsErrors.QueueDeletedRecently.exception("You must wait 60 seconds after deleting "
          + "a queue before you can create another with the same name.");
    }
    return Outcome.persist(new QueueEvent.Created(create.region(), wanted,
        QueueTags.checked(create.tags()), create.nowMillis()), s -> new QueueReply.Done());
  }

  private static String differing(QueueAttributes have, QueueAttributes want) {
    List<String> names = new ArrayList<>();
    Map<String, String> a = have.asMap();
    Map<String, String> b = want.asMap();
    for (String k : a.keySet()) {
      if (!a.get(k).equals(b.get(k))) {
        names.add(k);
      }
    }
    b.keySet().stream().filter(k -> !a.containsKey(k)).forEach(names::add);
    return String.join(", ", names);
  }

  private Outcome<QueueEvent, QueueState> purge(QueueState state, QueueCommand.Purge purge) {
    if (state.lastPurgeAtMillis() > 0
        && purge.nowMillis() - state.lastPurgeAtMillis() < PURGE_INTERVAL_MILLIS) {
      throw SqsErrors.PurgeQueueInProgress.exception("Only one PurgeQueue operation on "
          + QueueId.fromEntityId(state.region(), state.entityId()).name()
          + " is allowed every 60 seconds.");
    }
    return Outcome.persist(new QueueEvent.Purged(state.nextSeq(), purge.nowMillis()),
        s -> new QueueReply.Done());
  }

  @Override
  public QueueState evolve(QueueState state, QueueEvent event) {
    return evolution.evolve(state, event);
  }

  /** Backlog messages to read back once memory holds fewer than half a window of them. */
  @Override
  public JournalRead journalRead(QueueState state) {
    return state.exists() && !state.backlog().isEmpty()
        && state.messages().fresh() < windowMessages / 2
        ? new JournalRead(Math.max(1, state.backlog().journalCursor()), READ_EVENTS) : null;
  }

  /**
   * The backlog messages in {@code events}, in order, as many as the window takes; the next
   * read starts at the event where this one stopped.
   */
  @Override
  public QueueCommand eventsRead(JournalRead read, List<JournalRead.Event<QueueEvent>> events,
      ActorRef<Reply> replyTo) {
    // The read was asked for this backlog; LoadBacklog is ignored if it changed meanwhile.
    return BacklogReads.load(read, events, windowMessages, replyTo);
  }
}
