package fabric.queue.entity;

import fabric.core.entity.Outcome;
import fabric.core.error.ServiceException;
import fabric.queue.QueueId;
import fabric.queue.SqsErrors;
import fabric.queue.attributes.RedrivePolicy;
import fabric.queue.attributes.QueueAttributes;
import fabric.queue.entity.QueueCommand.ChangeVisibility;
import fabric.queue.entity.QueueCommand.DeleteMessages;
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

/** The queue's message operations, decided against its state: pure, like the rest of
 *  {@link QueueDefinition}. */
final class MessageDecisions {
  /** How long a message that leaves for another queue stays hidden before a retry. */
  static final long DEAD_LETTER_LEASE_MILLIS = 30_000;
  /** The deduplication-window key under which a queue remembers a moved-in message. */
  private static final String MOVED_IN = "\u0000moved\n";

  private MessageDecisions() {}

  /**
   * Messages moving in (dead letters, or back from a dead-letter queue): each message id is
   * taken once within the deduplication window, so a mover that retries after an unanswered
   * attempt does not enqueue it twice.
   */
  static Outcome<QueueEvent, QueueState> acceptMoved(QueueState state,
      QueueCommand.AcceptMoved accept) {
    List<StoredMessage> in = new ArrayList<>();
    long seq = state.nextSeq();
    for (StoredMessage m : accept.messages()) {
      String key = movedInKey(m.messageId());
      boolean again = state.dedup().seen(key, accept.nowMillis()) != null
          || in.stream().anyMatch(o -> o.messageId().equals(m.messageId()));
      if (!again) {
        in.add(m.movedTo(seq++, state.attributes().fifo(), accept.nowMillis()));
      }
    }
    return in.isEmpty() ? Outcome.reply(new QueueReply.Done())
        : Outcome.persist(new QueueEvent.MessagesMovedIn(in, accept.nowMillis()),
            s -> new QueueReply.Done());
  }

  static String movedInKey(String messageId) {
    return MOVED_IN + messageId;
  }

  /** Messages another queue confirmed it took: gone from here (idempotent). */
  static Outcome<QueueEvent, QueueState> movedOut(QueueState state,
      QueueCommand.MovedOut moved) {
    List<Long> present = moved.seqs().stream()
        .filter(seq -> state.messages().get(seq) != null).toList();
    if (moved.taskHandle() != null) {
      return MoveTaskDecisions.moved(state, present, moved);
    }
    return present.isEmpty() ? Outcome.reply(new QueueReply.Done())
        : Outcome.persist(new QueueEvent.MessagesDeleted(present), s -> new QueueReply.Done());
  }

  static Outcome<QueueEvent, QueueState> send(QueueState state, Send send) {
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
          send.nowMillis() + delay * 1_000L, 0, 0, e.message().groupId(), dedupId, null));
      sent.add(new QueueReply.Sent(e.entryId(), e.messageId(), md5Body, md5Attrs,
          q.fifo() ? sequenceNumber(seq) : null));
      seq++;
    }
    QueueReply.SendResults results = new QueueReply.SendResults(sent, failed);
    return accepted.isEmpty() ? Outcome.reply(results)
        : Outcome.persist(new QueueEvent.MessagesSent(accepted), s -> results);
  }

  static Outcome<QueueEvent, QueueState> receive(QueueState state, Receive receive) {
    if (receive.maxMessages() < 1 || receive.maxMessages() > QueueDefinition.MAX_RECEIVE) {
      throw SqsErrors.InvalidParameterValue.exception("Value " + receive.maxMessages()
          + " for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and "
          + QueueDefinition.MAX_RECEIVE + ", if provided.");
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
    RedrivePolicy redrive = q.redrivePolicy();
    List<StoredMessage> deadLetters = new ArrayList<>();
    // FIFO: a group whose head leaves for the dead-letter queue yields nothing after it in
    // this receive, so a failed move (the lease ends, the head is back) cannot reorder it.
    java.util.Set<String> groupsMoving = new java.util.HashSet<>();
    for (StoredMessage m : candidates) {
      if (m.expired(now, q.messageRetentionPeriodSeconds())) {
        expired.add(m.seq());
      } else if (m.groupId() != null && groupsMoving.contains(m.groupId())) {
        continue;
      } else if (redrive != null && m.receiveCount() >= redrive.maxReceiveCount()) {
        if (deadLetters.size() < QueueDefinition.MAX_RECEIVE) {
          deadLetters.add(m);
          if (m.groupId() != null) {
            groupsMoving.add(m.groupId());
          }
        }
      } else if (taken.size() < receive.maxMessages()) {
        taken.add(m.received(now, now + timeout * 1_000L));
      }
    }
    List<QueueEvent> events = new ArrayList<>();
    if (!expired.isEmpty()) {
      events.add(new QueueEvent.MessagesExpired(expired));
    }
    if (!deadLetters.isEmpty()) {
      // Hidden while the move runs; if it never confirms, the lease ends and the next
      // receive hands the message out for moving again (the DLQ takes each id once).
      events.add(new QueueEvent.VisibilityChanged(deadLetters.stream()
          .map(m -> new Visibility(m.seq(), now + DEAD_LETTER_LEASE_MILLIS)).toList()));
    }
    if (!taken.isEmpty()) {
      events.add(new QueueEvent.MessagesReceived(taken.stream()
          .map(m -> new Visibility(m.seq(), m.visibleAtMillis())).toList(), now));
    }
    String sourceArn = QueueId.fromEntityId(state.region(), state.entityId()).arn();
    QueueReply.Received reply = new QueueReply.Received(taken.stream()
        .map(m -> toReceived(state.entityId(), m)).toList(), deadLetters.isEmpty() ? null
        : new QueueReply.DeadLetters(redrive.deadLetterTargetArn(), deadLetters.stream()
            .map(m -> m.leaving(sourceArn, m.receiveCount())).toList()));
    if (!events.isEmpty()) {
      return Outcome.persistAll(events, s -> reply);
    }
    int wait = receive.waitTimeSeconds() != null ? receive.waitTimeSeconds()
        : q.receiveMessageWaitTimeSeconds();
    long deadline = receive.askedAtMillis() + wait * 1_000L;
    // Long polling: wait for a send, or for a hidden message to become visible.
    return deadline > now
        ? new Outcome.Park<>(state.messages().nextVisibleAfter(now), deadline, reply)
        : Outcome.reply(reply);
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
    if (m.deadLetterSourceArn() != null) {
      system.put("DeadLetterQueueSourceArn", m.deadLetterSourceArn());
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

  static Outcome<QueueEvent, QueueState> deleteMessages(QueueState state,
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

  static Outcome<QueueEvent, QueueState> changeVisibility(QueueState state,
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

}
