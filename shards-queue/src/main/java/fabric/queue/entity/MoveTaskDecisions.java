package fabric.queue.entity;

import fabric.core.entity.Outcome;
import fabric.queue.QueueId;
import fabric.queue.SqsErrors;
import fabric.queue.entity.QueueEvent.Visibility;
import java.util.ArrayList;
import java.util.List;

/**
 * Message move tasks, decided in the dead-letter queue that they empty: start (one running
 * task per queue, as AWS), hand out the next messages under a lease, count what arrived,
 * cancel, fail. The moving itself is the service's ({@code MoveTaskDriver}).
 */
final class MoveTaskDecisions {
  private MoveTaskDecisions() {}

  static Outcome<QueueEvent, QueueState> start(QueueState state,
      QueueCommand.StartMoveTask start) {
    if (state.moveTasks().stream().anyMatch(MoveTask::running)) {
      throw SqsErrors.UnsupportedOperation.exception("A message move task is already running "
          + "on this queue; only one task per source queue can run at a time.");
    }
    Integer rate = start.maxPerSecond();
    if (rate != null && (rate < 1 || rate > MoveTask.MAX_PER_SECOND)) {
      throw SqsErrors.InvalidParameterValue.exception("Value " + rate + " for parameter "
          + "MaxNumberOfMessagesPerSecond is invalid. Reason: Must be between 1 and "
          + MoveTask.MAX_PER_SECOND + ", if provided.");
    }
    MoveTask task = new MoveTask(start.handle(), start.destinationArn(), rate,
        MoveTask.RUNNING, 0, state.messageCount(), state.nextSeq(), start.nowMillis(),
        start.nowMillis(), null);
    return Outcome.persist(new QueueEvent.MoveTaskChanged(task),
        s -> new QueueReply.MoveTaskState(task));
  }

  private static MoveTask task(QueueState state, String handle) {
    MoveTask task = state.moveTask(handle);
    if (task == null) {
      throw SqsErrors.ResourceNotFoundException.exception("No message move task with handle "
          + handle + " on this queue.");
    }
    return task;
  }

  /**
   * The next messages of the task, oldest visible first, hidden for the lease that a dead
   * letter gets; none (and the task COMPLETED) once no message it started with is visible.
   */
  static Outcome<QueueEvent, QueueState> take(QueueState state, QueueCommand.TakeForMove take) {
    MoveTask task = task(state, take.handle());
    if (!task.running()) {
      return Outcome.reply(new QueueReply.MoveBatch(task, List.of()));
    }
    long now = take.nowMillis();
    List<StoredMessage> next = state.attributes().fifo()
        ? state.messages().fifoReceivable(now, Integer.MAX_VALUE).stream()
            .filter(m -> m.seq() < task.belowSeq()).limit(take.max()).toList()
        : state.messages().visibleBelow(now, task.belowSeq(), take.max());
    if (next.isEmpty() && !state.backlog().isEmpty()
        && state.backlog().fromSeq() < task.belowSeq()) {
      // Its messages are still in the backlog: the mover asks again once they are read in.
      return Outcome.reply(new QueueReply.MoveBatch(task, List.of()));
    }
    if (next.isEmpty()) {
      MoveTask done = task.ended(MoveTask.COMPLETED, null, now);
      return Outcome.persist(new QueueEvent.MoveTaskChanged(done),
          s -> new QueueReply.MoveBatch(done, List.of()));
    }
    List<QueueReply.Move> moves = new ArrayList<>();
    String self = QueueId.fromEntityId(state.region(), state.entityId()).arn();
    for (StoredMessage m : next) {
      String to = task.destinationArn() != null ? task.destinationArn()
          : m.deadLetterSourceArn();
      if (to == null) {
        MoveTask failed = task.ended(MoveTask.FAILED, "Message " + m.messageId()
            + " was not dead-lettered from another queue; give a DestinationArn.", now);
        return Outcome.persist(new QueueEvent.MoveTaskChanged(failed),
            s -> new QueueReply.MoveBatch(failed, List.of()));
      }
      // Back in a queue it starts over: received 0 times, no dead-letter source.
      moves.add(new QueueReply.Move(to, m.leaving(to.equals(m.deadLetterSourceArn()) ? null
          : self, 0)));
    }
    MoveTask active = task.active(now, 0);
    QueueReply.MoveBatch batch = new QueueReply.MoveBatch(active, moves);
    return Outcome.persistAll(List.of(new QueueEvent.VisibilityChanged(next.stream()
            .map(m -> new Visibility(m.seq(), now + MessageDecisions.DEAD_LETTER_LEASE_MILLIS))
            .toList()), new QueueEvent.MoveTaskChanged(active)), s -> batch);
  }

  /** What a task's mover saw arrive: counted (only what was still here). */
  static Outcome<QueueEvent, QueueState> moved(QueueState state, List<Long> present,
      QueueCommand.MovedOut moved) {
    MoveTask task = task(state, moved.taskHandle());
    List<QueueEvent> events = new ArrayList<>();
    if (!present.isEmpty()) {
      events.add(new QueueEvent.MessagesDeleted(present));
    }
    events.add(new QueueEvent.MoveTaskChanged(task.active(moved.nowMillis(), present.size())));
    return Outcome.persistAll(events, s -> new QueueReply.Done());
  }

  static Outcome<QueueEvent, QueueState> cancel(QueueState state,
      QueueCommand.CancelMoveTask cancel) {
    MoveTask task = task(state, cancel.handle());
    if (!task.running()) {
      throw SqsErrors.ResourceNotFoundException.exception("The message move task "
          + cancel.handle() + " is " + task.status() + ", not RUNNING; only a running task "
          + "can be cancelled.");
    }
    MoveTask cancelled = task.ended(MoveTask.CANCELLED, null, cancel.nowMillis());
    return Outcome.persist(new QueueEvent.MoveTaskChanged(cancelled),
        s -> new QueueReply.MoveTaskState(cancelled));
  }

  static Outcome<QueueEvent, QueueState> fail(QueueState state, QueueCommand.FailMoveTask fail) {
    MoveTask task = task(state, fail.handle());
    if (!task.running()) {
      return Outcome.reply(new QueueReply.MoveTaskState(task));
    }
    MoveTask failed = task.ended(MoveTask.FAILED, fail.reason(), fail.nowMillis());
    return Outcome.persist(new QueueEvent.MoveTaskChanged(failed),
        s -> new QueueReply.MoveTaskState(failed));
  }
}
