package fabric.kinesis.service;

import fabric.core.entity.JournalRead;
import fabric.core.entity.ResourceEntity;
import fabric.kinesis.model.SequenceNumbers;
import fabric.kinesis.shard.ShardCommand;
import fabric.kinesis.shard.ShardDefinition;
import fabric.kinesis.shard.ShardEvent;
import fabric.kinesis.shard.ShardReply;
import fabric.kinesis.stream.StreamShard;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SubscribeToShard subscription: reads the shard's journal from its position, sends each
 * page as an event, and reads again at once while pages are full (catching up) or after the
 * poll interval at the tip. One step runs at a time; a step waits while the transport is
 * not ready (backpressure), so a subscription holds at most one journal read
 * ({@link #MAX_EVENTS_PER_READ} events) and one page in memory. It ends at its deadline,
 * at a closed shard's end (an event with the children), when the client cancels, or on a
 * failure.
 */
final class ShardSubscription {
  private static final Logger log = LoggerFactory.getLogger(ShardSubscription.class);
  private static final ShardDefinition SHARDS = new ShardDefinition();
  /** Journal events one step reads at most: each is one put (≤ 500 records, 5 MiB). */
  static final int MAX_EVENTS_PER_READ = 32;
  /** An event carries at most this many records and bytes (AWS pushes up to 2 MiB a
   *  second per consumer and shard; a record over it still goes, alone). */
  static final int MAX_EVENT_RECORDS = 10_000;
  static final long MAX_EVENT_BYTES = 2L * 1024 * 1024;
  /** An idle subscription still sends an (empty) event this often: the client sees it is
   *  alive and gets a fresh continuation. */
  static final long HEARTBEAT_MILLIS = 5_000;
  /** Leader epochs a polling read reuses (as GetRecords' reader). */
  static final long EPOCH_CACHE_MILLIS = 1_000;

  private final ShardSubscriptions owner;
  private final String key;
  private final StreamId stream;
  private final SubscriptionSink sink;
  private final long deadlineMillis;
  private final String persistenceId;
  private final KinesisReads.Start start;
  private final AtomicBoolean parked = new AtomicBoolean();
  private volatile boolean done;
  private volatile ScheduledFuture<?> next;
  private ShardIterators.Position position;
  private long lastSentMillis = -1;

  ShardSubscription(ShardSubscriptions owner, String key, StreamId stream,
      KinesisReads.Start start, SubscriptionSink sink, long deadlineMillis) {
    this.owner = owner;
    this.key = key;
    this.stream = stream;
    this.start = start;
    this.sink = sink;
    this.deadlineMillis = deadlineMillis;
    this.position = start.position();
    this.persistenceId = ResourceEntity.persistenceId(SHARDS, position.shardEntity()).id();
  }

  void start() {
    sink.listen(this::wake, this::cancel);
    if (sink.cancelled()) {
      cancel();
      return;
    }
    ShardReply.Location tip = start.tip();
    if (tip.closedAtMillis() > 0 && position.recordNumber() >= tip.nextRecordNumber()) {
      endOfShard(List.of()); // subscribed after the closed shard's last record
      return;
    }
    schedule(0);
  }

  private void schedule(long delayMillis) {
    if (!done) {
      next = owner.timer().schedule(this::step, delayMillis, TimeUnit.MILLISECONDS);
    }
  }

  private void wake() {
    if (parked.compareAndSet(true, false)) {
      schedule(0);
    }
  }

  private void cancel() {
    if (!done) {
      done = true;
      ScheduledFuture<?> f = next;
      if (f != null) {
        f.cancel(false);
      }
      owner.ended(key, this);
      log.debug("subscription {} cancelled by the client", key);
    }
  }

  private void step() {
    if (done) {
      return;
    }
    long now = owner.kinesis().clock().millis();
    if (now >= deadlineMillis) {
      finish(null);
      return;
    }
    if (!sink.ready()) {
      parked.set(true);
      if (sink.ready()) { // became ready between the check and parking
        wake();
      }
      return;
    }
    owner.journal().<ShardEvent>readCachingEpochs(persistenceId,
            new JournalRead(position.journalFrom(), MAX_EVENTS_PER_READ), EPOCH_CACHE_MILLIS)
        .thenCompose(events -> deliver(events))
        .whenComplete((more, failure) -> {
          if (failure != null) {
            finish(failure);
          } else if (more != null) {
            schedule(more ? 0 : owner.pollMillis());
          }
        });
  }

  /** Sends what the events hold. @return whether to read again at once, null once ended */
  private CompletionStage<Boolean> deliver(List<JournalRead.Event<ShardEvent>> events) {
    if (done) {
      return CompletableFuture.completedFuture(null);
    }
    ShardPage page = ShardPage.cut(position, events, MAX_EVENT_RECORDS, MAX_EVENT_BYTES);
    long now = owner.kinesis().clock().millis();
    position = page.next(position, now);
    if (page.closed()) {
      endOfShard(page.records());
      return CompletableFuture.completedFuture(null);
    }
    boolean more = page.full() || events.size() == MAX_EVENTS_PER_READ;
    if (page.records().isEmpty() && lastSentMillis >= 0
        && now - lastSentMillis < HEARTBEAT_MILLIS) {
      return CompletableFuture.completedFuture(more);
    }
    // Behind only while catching up: then the shard says where its tip is.
    CompletionStage<Long> behind = !more
        ? CompletableFuture.completedFuture(0L)
        : owner.kinesis().entities().ask(ShardDefinition.TYPE_KEY, position.shardEntity(),
            r -> new ShardCommand.Locate(Long.MAX_VALUE, -1,
                owner.kinesis().clock().millis(), r), ShardReply.Location.class)
            .thenApply(page::millisBehind);
    return behind.thenApply(millis -> {
      if (done) {
        return null;
      }
      send(new SubscriptionSink.Event(page.records(), continuation(), millis, List.of()));
      return more;
    });
  }

  /** The last record delivered (AFTER_SEQUENCE_NUMBER resumes after it). */
  private String continuation() {
    return position.recordNumber() == 0 ? null
        : SequenceNumbers.format(position.recordNumber() - 1);
  }

  private void send(SubscriptionSink.Event event) {
    lastSentMillis = owner.kinesis().clock().millis();
    sink.event(event);
  }

  /** The shard is closed and read to its end: the last records with its children. */
  private void endOfShard(List<KinesisReads.Record> records) {
    owner.kinesis().describe(stream).whenComplete((s, failure) -> {
      if (failure != null) {
        finish(failure);
        return;
      }
      if (done) {
        return;
      }
      List<StreamShard> children = KinesisReads.children(s, position.shardId());
      send(new SubscriptionSink.Event(records, null, 0, children));
      finish(null);
    });
  }

  private void finish(Throwable failure) {
    if (done) {
      return;
    }
    done = true;
    owner.ended(key, this);
    try {
      if (failure == null) {
        sink.completed();
      } else {
        sink.failed(failure);
      }
    } catch (RuntimeException e) {
      log.debug("subscription {}: the client is gone", key, e); // cancelled under us
    }
  }
}
