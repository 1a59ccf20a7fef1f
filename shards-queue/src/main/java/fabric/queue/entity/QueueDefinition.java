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
import java.util.ArrayList;
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

  @Override
  public boolean readOnly(QueueCommand command) {
    return command instanceof GetAttributes || command instanceof QueueCommand.ListTags;
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
      return send(state, send);
    }
    if (command instanceof Receive receive) {
      return receive(state, receive);
    }
    if (command instanceof DeleteMessages delete) {
      return deleteMessages(state, delete);
    }
    if (command instanceof ChangeVisibility change) {
      return changeVisibility(state, change);
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

  private Outcome<QueueEvent, QueueState> send(QueueState state, Send send) {
    QueueAttributes q = state.attributes();
    List<StoredMessage> accepted = new ArrayList<>();
    List<QueueReply.Sent> sent = new ArrayList<>();
    List<EntryFailure> failed = new ArrayList<>();
    long seq = state.nextSeq();
    for (SendEntry e : send.entries()) {
      try {
        SendChecks.check(e.message(), q);
      } catch (ServiceException ex) {
        failed.add(new EntryFailure(e.entryId(), ex.error().code(), ex.error().message(), true));
        continue;
      }
      int delay = e.message().delaySeconds() != null ? e.message().delaySeconds()
          : q.delaySeconds();
      String md5Body = MessageDigests.md5OfBody(e.message().body());
      String md5Attrs = MessageDigests.md5OfAttributes(e.message().attributes());
      String dedupId = q.fifo() ? (e.message().deduplicationId() != null
          ? e.message().deduplicationId() : MessageDigests.sha256OfBody(e.message().body()))
          : null;
      if (dedupId != null) {
        String key = dedupKey(q, e.message().groupId(), dedupId);
        DedupWindow.Entry earlier = state.dedup().seen(key, send.nowMillis());
        StoredMessage inBatch = accepted.stream().filter(m -> key.equals(
            dedupKey(q, m.groupId(), m.deduplicationId()))).findFirst().orElse(null);
        if (earlier != null || inBatch != null) {
          // Accepted again, enqueued once: the earlier message's id and sequence number.
          String id = earlier != null ? earlier.messageId() : inBatch.messageId();
          long earlierSeq = earlier != null ? earlier.seq() : inBatch.seq();
          sent.add(new QueueReply.Sent(e.entryId(), id, md5Body, md5Attrs,
              sequenceNumber(earlierSeq)));
          continue;
        }
      }
      accepted.add(new StoredMessage(seq, e.messageId(), e.message().body(),
          e.message().attributes(), md5Body, md5Attrs, send.nowMillis(),
          send.nowMillis() + delay * 1_000L, 0, 0, e.message().groupId(), dedupId));
      sent.add(new QueueReply.Sent(e.entryId(), e.messageId(), md5Body, md5Attrs,
          q.fifo() ? sequenceNumber(seq) : null));
      seq++;
    }
    QueueReply.SendResults results = new QueueReply.SendResults(sent, failed);
    return accepted.isEmpty() ? Outcome.reply(results)
        : Outcome.persist(new QueueEvent.MessagesSent(accepted), s -> results);
  }

  private Outcome<QueueEvent, QueueState> receive(QueueState state, Receive receive) {
    if (receive.maxMessages() < 1 || receive.maxMessages() > MAX_RECEIVE) {
      throw SqsErrors.InvalidParameterValue.exception("Value " + receive.maxMessages()
          + " for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and "
          + MAX_RECEIVE + ", if provided.");
    }
    QueueAttributes q = state.attributes();
    int timeout = receive.visibilityTimeoutSeconds() != null
        ? receive.visibilityTimeoutSeconds() : q.visibilityTimeoutSeconds();
    if (timeout < 0 || timeout > QueueAttributes.MAX_VISIBILITY_TIMEOUT_SECONDS) {
      throw SqsErrors.InvalidParameterValue.exception("Value " + timeout + " for parameter "
          + "VisibilityTimeout is invalid. Reason: Must be between 0 and "
          + QueueAttributes.MAX_VISIBILITY_TIMEOUT_SECONDS + ", if provided.");
    }
    long now = receive.nowMillis();
    List<Long> expired = new ArrayList<>();
    List<StoredMessage> taken = new ArrayList<>();
    // Expired messages are dropped on the way; look a little further to still fill up.
    List<StoredMessage> candidates = q.fifo()
        ? state.messages().fifoReceivable(now, receive.maxMessages() + 100)
        : state.messages().visible(now, receive.maxMessages() + 100);
    for (StoredMessage m : candidates) {
      if (m.expired(now, q.messageRetentionPeriodSeconds())) {
        expired.add(m.seq());
      } else if (taken.size() < receive.maxMessages()) {
        taken.add(m.received(now, now + timeout * 1_000L));
      }
    }
    List<QueueEvent> events = new ArrayList<>();
    if (!expired.isEmpty()) {
      events.add(new QueueEvent.MessagesExpired(expired));
    }
    if (!taken.isEmpty()) {
      events.add(new QueueEvent.MessagesReceived(taken.stream()
          .map(m -> new Visibility(m.seq(), m.visibleAtMillis())).toList(), now));
    }
    QueueReply.Received reply = new QueueReply.Received(taken.stream()
        .map(m -> toReceived(state.entityId(), m)).toList());
    return events.isEmpty() ? Outcome.reply(reply) : Outcome.persistAll(events, s -> reply);
  }

  private static QueueReply.ReceivedMessage toReceived(String entityId, StoredMessage m) {
    Map<String, String> system = new java.util.LinkedHashMap<>();
    system.put("ApproximateReceiveCount", Integer.toString(m.receiveCount()));
    system.put("SentTimestamp", Long.toString(m.sentAtMillis()));
    system.put("ApproximateFirstReceiveTimestamp", Long.toString(m.firstReceivedAtMillis()));
    if (m.groupId() != null) {
      system.put("MessageGroupId", m.groupId());
    }
    if (m.deduplicationId() != null) {
      system.put("MessageDeduplicationId", m.deduplicationId());
      system.put("SequenceNumber", sequenceNumber(m.seq()));
    }
    return new QueueReply.ReceivedMessage(m.messageId(),
        new ReceiptHandle(entityId, m.seq(), m.receiveCount()).encode(), m.body(),
        m.md5OfBody(), m.attributes(), m.md5OfAttributes(), system);
  }

  /** FIFO: the deduplication key under the queue's DeduplicationScope. */
  static String dedupKey(QueueAttributes q, String groupId, String dedupId) {
    return "messageGroup".equals(q.deduplicationScope()) ? groupId + "\n" + dedupId : dedupId;
  }

  /**
   * SQS's SequenceNumber: a large decimal, increasing per queue (AWS's are 20 digits);
   * here 10^19 plus the queue's sequence number, so it sorts as text and as a number.
   */
  static String sequenceNumber(long seq) {
    return java.math.BigInteger.TEN.pow(19).add(java.math.BigInteger.valueOf(seq)).toString();
  }

  /** The message a handle names, if it is that message's latest receive. */
  private static StoredMessage current(QueueState state, ReceiptHandle h) {
    StoredMessage m = state.messages().get(h.sequenceNumber());
    if (m != null && m.receiveCount() != h.receiveCount()) {
      throw SqsErrors.ReceiptHandleIsInvalid.exception("The receipt handle has expired: the "
          + "message was received again since; use the latest receipt handle.");
    }
    return m;
  }

  private Outcome<QueueEvent, QueueState> deleteMessages(QueueState state,
      DeleteMessages delete) {
    List<Long> seqs = new ArrayList<>();
    List<String> ok = new ArrayList<>();
    List<EntryFailure> failed = new ArrayList<>();
    for (HandleEntry e : delete.entries()) {
      try {
        ReceiptHandle h = ReceiptHandle.decode(e.receiptHandle(), state.entityId());
        // Deleting a message that is already gone succeeds, as on AWS.
        if (current(state, h) != null && !seqs.contains(h.sequenceNumber())) {
          seqs.add(h.sequenceNumber());
        }
        ok.add(e.entryId());
      } catch (ServiceException ex) {
        failed.add(new EntryFailure(e.entryId(), ex.error().code(), ex.error().message(), true));
      }
    }
    QueueReply.BatchResults results = new QueueReply.BatchResults(ok, failed);
    return seqs.isEmpty() ? Outcome.reply(results)
        : Outcome.persist(new QueueEvent.MessagesDeleted(seqs), s -> results);
  }

  private Outcome<QueueEvent, QueueState> changeVisibility(QueueState state,
      ChangeVisibility change) {
    List<Visibility> changes = new ArrayList<>();
    List<String> ok = new ArrayList<>();
    List<EntryFailure> failed = new ArrayList<>();
    long now = change.nowMillis();
    for (VisibilityEntry e : change.entries()) {
      try {
        int timeout = e.visibilityTimeoutSeconds();
        if (timeout < 0 || timeout > QueueAttributes.MAX_VISIBILITY_TIMEOUT_SECONDS) {
          throw SqsErrors.InvalidParameterValue.exception("Value " + timeout + " for "
              + "parameter VisibilityTimeout is invalid. Reason: Must be between 0 and "
              + QueueAttributes.MAX_VISIBILITY_TIMEOUT_SECONDS + ".");
        }
        ReceiptHandle h = ReceiptHandle.decode(e.receiptHandle(), state.entityId());
        StoredMessage m = current(state, h);
        if (m == null || m.visibleAtMillis() <= now) {
          throw SqsErrors.MessageNotInflight.exception("The message referred to is not in "
              + "flight.");
        }
        changes.add(new Visibility(m.seq(), now + timeout * 1_000L));
        ok.add(e.entryId());
      } catch (ServiceException ex) {
        failed.add(new EntryFailure(e.entryId(), ex.error().code(), ex.error().message(), true));
      }
    }
    QueueReply.BatchResults results = new QueueReply.BatchResults(ok, failed);
    return changes.isEmpty() ? Outcome.reply(results)
        : Outcome.persist(new QueueEvent.VisibilityChanged(changes), s -> results);
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
  public QueueState evolve(QueueState s, QueueEvent event) {
    if (event instanceof QueueEvent.Created c) {
      return new QueueState(s.entityId(), c.region(), c.attributes(), c.tags(), c.atMillis(),
          c.atMillis(), 0, s.nextSeq(), MessageIndex.empty(), 0, DedupWindow.empty());
    }
    if (event instanceof QueueEvent.AttributesSet a) {
      return new QueueState(s.entityId(), s.region(), a.attributes(), s.tags(),
          s.createdAtMillis(), a.atMillis(), s.deletedAtMillis(), s.nextSeq(), s.messages(),
          s.lastPurgeAtMillis(), s.dedup());
    }
    if (event instanceof QueueEvent.Deleted d) {
      return new QueueState(s.entityId(), s.region(), null, Map.of(), 0, 0, d.atMillis(),
          s.nextSeq(), MessageIndex.empty(), 0, DedupWindow.empty());
    }
    if (event instanceof QueueEvent.MessagesSent sent) {
      MessageIndex index = s.messages();
      DedupWindow dedup = s.dedup();
      long next = s.nextSeq();
      for (StoredMessage m : sent.messages()) {
        index = index.put(m);
        next = Math.max(next, m.seq() + 1);
        if (m.deduplicationId() != null) {
          dedup = dedup.prune(m.sentAtMillis()).plus(new DedupWindow.Entry(
              dedupKey(s.attributes(), m.groupId(), m.deduplicationId()), m.messageId(),
              m.seq(), m.sentAtMillis()));
        }
      }
      return new QueueState(s.entityId(), s.region(), s.attributes(), s.tags(),
          s.createdAtMillis(), s.lastModifiedAtMillis(), s.deletedAtMillis(), next, index,
          s.lastPurgeAtMillis(), dedup);
    }
    if (event instanceof QueueEvent.MessagesReceived r) {
      MessageIndex index = s.messages();
      for (Visibility v : r.messages()) {
        StoredMessage m = index.get(v.seq());
        if (m != null) {
          index = index.put(m.received(r.atMillis(), v.visibleAtMillis()));
        }
      }
      return s.withMessages(index);
    }
    if (event instanceof QueueEvent.VisibilityChanged c) {
      MessageIndex index = s.messages();
      for (Visibility v : c.messages()) {
        StoredMessage m = index.get(v.seq());
        if (m != null) {
          index = index.put(m.visibleAt(v.visibleAtMillis()));
        }
      }
      return s.withMessages(index);
    }
    if (event instanceof QueueEvent.TagsSet t) {
      return new QueueState(s.entityId(), s.region(), s.attributes(), t.tags(),
          s.createdAtMillis(), s.lastModifiedAtMillis(), s.deletedAtMillis(), s.nextSeq(),
          s.messages(), s.lastPurgeAtMillis(), s.dedup());
    }
    if (event instanceof QueueEvent.MessagesDeleted d) {
      return s.withMessages(removeAll(s.messages(), d.seqs()));
    }
    if (event instanceof QueueEvent.MessagesExpired e) {
      return s.withMessages(removeAll(s.messages(), e.seqs()));
    }
    QueueEvent.Purged p = (QueueEvent.Purged) event;
    MessageIndex index = s.messages();
    for (StoredMessage m : index.toList()) {
      if (m.seq() < p.belowSeq()) {
        index = index.remove(m.seq());
      }
    }
    return new QueueState(s.entityId(), s.region(), s.attributes(), s.tags(),
        s.createdAtMillis(), s.lastModifiedAtMillis(), s.deletedAtMillis(), s.nextSeq(), index,
        p.atMillis(), s.dedup());
  }

  private static MessageIndex removeAll(MessageIndex index, List<Long> seqs) {
    for (long seq : seqs) {
      index = index.remove(seq);
    }
    return index;
  }
}
