package fabric.bench;

import fabric.sqs.v1.BatchResultErrorEntry;
import fabric.sqs.v1.DeleteMessageBatchResponse;
import fabric.sqs.v1.Message;
import fabric.sqs.v1.SendMessageBatchResponse;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One (pairs, batch size) cell of the SQS benchmark, on one queue: each pair is a producer
 * thread that sends and a consumer thread that receives and deletes what it received.
 *
 * <p>Counting: an op is measured when it <em>completes</em> inside the measured window, and
 * rates are per window second; a round trip is a message whose delete was acknowledged in the
 * window (it was sent, received and deleted), and its latency runs from the start of the send
 * (stamped into the body) to the delete's acknowledgement. Receives that return no message
 * are counted apart ("empty") and are not in the receive ops or latencies.
 */
final class SqsWorkload {
  /** A batch entry the server refused: "entry:" + its AWS code, e.g. entry:InternalError. */
  static final String ENTRY_PREFIX = "entry:";
  /** A received body of the wrong length: no gRPC status says so. */
  static final String BAD_BODY = "BAD_BODY";
  /** Hex digits of the send time at the start of every body. */
  static final int STAMP_CHARS = 16;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final String queueUrl;
  private final int pairs;
  private final int batch;
  private final int messageSize;
  private final int visibilitySeconds;
  private final int waitSeconds;
  private final Duration warmup;
  private final Duration duration;
  private final List<Producer> producers = new ArrayList<>();
  private final List<Consumer> consumers = new ArrayList<>();

  /**
   * @param targets one {@link SqsOps} per target; thread i (producer of pair p = 2p, its
   *     consumer = 2p + 1) talks to target i mod n
   * @param filler random body characters, at least {@code messageSize} long
   */
  SqsWorkload(List<SqsOps> targets, String queueUrl, int pairs, int batch, int messageSize,
      String filler, int visibilitySeconds, int waitSeconds, Duration warmup,
      Duration duration) {
    if (messageSize < STAMP_CHARS || messageSize > filler.length()) {
      throw new IllegalArgumentException("message size " + messageSize + " outside "
          + STAMP_CHARS + ".." + filler.length());
    }
    this.queueUrl = queueUrl;
    this.pairs = pairs;
    this.batch = batch;
    this.messageSize = messageSize;
    this.visibilitySeconds = visibilitySeconds;
    this.waitSeconds = waitSeconds;
    this.warmup = warmup;
    this.duration = duration;
    for (int p = 0; p < pairs; p++) {
      producers.add(new Producer(targets.get(2 * p % targets.size()), filler,
          new SplittableRandom(31L * p + batch)));
      consumers.add(new Consumer(targets.get((2 * p + 1) % targets.size())));
    }
  }

  /** Runs the cell; rows send, receive, delete, round-trip. */
  List<ResultRow> run() throws InterruptedException {
    List<Workload.Task> tasks = new ArrayList<>();
    for (int p = 0; p < pairs; p++) {
      tasks.add(producers.get(p));
      tasks.add(consumers.get(p));
    }
    Workload.runTogether(tasks, warmup, duration, t -> "bench-sqs-x" + pairs + "-b" + batch
        + (t % 2 == 0 ? "-producer" : "-consumer") + t / 2);
    OpStats sends = new OpStats();
    OpStats receives = new OpStats();
    OpStats deletes = new OpStats();
    OpStats roundTrips = new OpStats();
    for (Producer p : producers) {
      sends.add(p.sends);
    }
    for (Consumer c : consumers) {
      receives.add(c.receives);
      deletes.add(c.deletes);
      roundTrips.add(c.roundTrips);
    }
    double seconds = duration.toNanos() / 1e9;
    return List.of(
        ResultRow.ofMessages("send", messageSize, pairs, batch, seconds, sends),
        ResultRow.ofMessages("receive", messageSize, pairs, batch, seconds, receives),
        ResultRow.ofMessages("delete", messageSize, pairs, batch, seconds, deletes),
        ResultRow.ofMessages("round-trip", messageSize, pairs, batch, seconds, roundTrips));
  }

  /** Messages sent minus messages deleted over the whole cell, warm-up and tail included. */
  long backlog() {
    long sent = producers.stream().mapToLong(p -> p.sentTotal).sum();
    long deleted = consumers.stream().mapToLong(c -> c.deletedTotal).sum();
    return sent - deleted;
  }

  /** The send time of a body, or -1 if it carries no stamp of ours. */
  static long stampOf(String body) {
    if (body.length() < STAMP_CHARS) {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < STAMP_CHARS; i++) {
      int d = Character.digit(body.charAt(i), 16);
      if (d < 0) {
        return -1;
      }
      v = (v << 4) | d;
    }
    return v;
  }

  static void stamp(char[] body, long nanoTime) {
    for (int i = STAMP_CHARS - 1; i >= 0; i--) {
      body[i] = HEX[(int) (nanoTime & 0xf)];
      nanoTime >>>= 4;
    }
  }

  /** Counts a failed call; returns after a short pause (see {@link #pause}). */
  private static void failed(Workload.Clock clock, OpStats stats, StatusRuntimeException e)
      throws InterruptedException {
    if (clock.inWindow(System.nanoTime())) {
      stats.recordError(e.getStatus().getCode().name(), Bench.why(e));
    }
    Workload.pauseAfterError();
  }

  private static void entryFailures(Workload.Clock clock, long end, OpStats stats,
      List<BatchResultErrorEntry> failed) {
    if (clock.inWindow(end)) {
      for (BatchResultErrorEntry f : failed) {
        stats.recordError(ENTRY_PREFIX + f.getCode(), f.getMessage());
      }
    }
  }


  /** Sends messages (or batches of them) back to back. Owns its stats; no sharing. */
  private final class Producer implements Workload.Task {
    private final SqsOps sqs;
    private final String filler;
    private final SplittableRandom random;
    private final List<String> bodies = new ArrayList<>(batch);
    private final char[] body = new char[messageSize];
    final OpStats sends = new OpStats();
    long sentTotal;

    Producer(SqsOps sqs, String filler, SplittableRandom random) {
      this.sqs = sqs;
      this.filler = filler;
      this.random = random;
    }

    @Override
    public void run(Workload.Clock clock) throws InterruptedException {
      for (long start = System.nanoTime(); start - clock.end < 0; start = System.nanoTime()) {
        bodies.clear();
        for (int i = 0; i < batch; i++) {
          bodies.add(body(start));
        }
        try {
          if (batch == 1) {
            sqs.send(queueUrl, bodies.get(0));
            record(clock, start, System.nanoTime(), 1);
          } else {
            SendMessageBatchResponse r = sqs.sendBatch(queueUrl, bodies);
            long end = System.nanoTime();
            record(clock, start, end, r.getSuccessfulCount());
            entryFailures(clock, end, sends, r.getFailedList());
          }
        } catch (StatusRuntimeException e) {
          failed(clock, sends, e);
        }
      }
    }

    private void record(Workload.Clock clock, long start, long end, int sent) {
      sentTotal += sent;
      if (clock.inWindow(end)) {
        sends.recordSuccess(end - start, (long) sent * messageSize, sent);
      }
    }

    /** The send time, then random filler from a random offset: every body differs. */
    private String body(long sendStart) {
      int offset = random.nextInt(filler.length() - messageSize + 1);
      filler.getChars(offset, offset + messageSize - STAMP_CHARS, body, STAMP_CHARS);
      stamp(body, sendStart);
      return new String(body);
    }
  }

  /** Receives up to a batch, then deletes what it got (one call either way). */
  private final class Consumer implements Workload.Task {
    private final SqsOps sqs;
    final OpStats receives = new OpStats();
    final OpStats deletes = new OpStats();
    final OpStats roundTrips = new OpStats();
    long deletedTotal;

    Consumer(SqsOps sqs) {
      this.sqs = sqs;
    }

    @Override
    public void run(Workload.Clock clock) throws InterruptedException {
      for (long start = System.nanoTime(); start - clock.end < 0; start = System.nanoTime()) {
        List<Message> got;
        try {
          got = sqs.receive(queueUrl, batch, visibilitySeconds, waitSeconds);
        } catch (StatusRuntimeException e) {
          failed(clock, receives, e);
          continue;
        }
        long end = System.nanoTime();
        boolean measured = clock.inWindow(end);
        if (got.isEmpty()) {
          if (measured) {
            receives.recordEmpty();
          }
          continue;
        }
        if (measured) {
          receives.recordSuccess(end - start, (long) got.size() * messageSize, got.size());
          for (Message m : got) {
            if (m.getBody().length() != messageSize) {
              receives.recordError(BAD_BODY, "body of " + m.getBody().length()
                  + " chars, sent " + messageSize);
            }
          }
        }
        // Deleted even after the end: what was received is not left for the next receiver.
        delete(clock, got);
      }
    }

    private void delete(Workload.Clock clock, List<Message> got) throws InterruptedException {
      long start = System.nanoTime();
      try {
        if (batch == 1) {
          for (Message m : got) { // a receive of max 1 returns at most one
            sqs.delete(queueUrl, m.getReceiptHandle());
          }
          record(clock, start, System.nanoTime(), got, null);
        } else {
          DeleteMessageBatchResponse r = sqs.deleteBatch(queueUrl, got);
          long end = System.nanoTime();
          record(clock, start, end, got, r);
          entryFailures(clock, end, deletes, r.getFailedList());
        }
      } catch (StatusRuntimeException e) {
        failed(clock, deletes, e);
      }
    }

    /** {@code r} null: every message in {@code got} was deleted. */
    private void record(Workload.Clock clock, long start, long end, List<Message> got,
        DeleteMessageBatchResponse r) {
      int deleted = r == null ? got.size() : r.getSuccessfulCount();
      deletedTotal += deleted;
      if (!clock.inWindow(end)) {
        return;
      }
      deletes.recordSuccess(end - start, (long) deleted * messageSize, deleted);
      if (r == null) {
        for (Message m : got) {
          roundTrip(m, end);
        }
      } else {
        for (var ok : r.getSuccessfulList()) {
          roundTrip(got.get(Integer.parseInt(ok.getId())), end);
        }
      }
    }

    private void roundTrip(Message m, long deletedAt) {
      long sentAt = stampOf(m.getBody());
      // A body without our stamp (not sent by this run) still counts, at latency 0.
      roundTrips.recordSuccess(sentAt == -1 ? 0 : deletedAt - sentAt, messageSize, 1);
    }
  }
}
