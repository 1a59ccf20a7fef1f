package fabric.drills.workload;

import fabric.drills.check.FifoBody;
import fabric.drills.history.History;
import fabric.drills.history.Op;
import fabric.drills.history.OpValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Producers and consumers on one standard and one FIFO queue, each call through the next
 * node in turn (round-robin, skipping for a moment a node that just failed a call, as a load
 * balancer would), every call recorded in the {@link History}:
 * <ul>
 *   <li>a standard producer sends unique bodies ({@code p3-17}); a send that fails or times
 *       out is unknown and not retried (a retry would enqueue a second copy);
 *   <li>a FIFO producer owns some of the message groups and sends each group's messages in
 *       counter order ({@link FifoBody}, {@code g1:17}), with an explicit deduplication id;
 *       a try that times out is retried with the same id, as an SDK would, until one is
 *       acknowledged (then the message counts as acknowledged) or {@link #FIFO_RETRY_FOR}
 *       passed or the producers stop (then it stays unknown);
 *   <li>a consumer receives up to 10 messages (long polling {@link #WAIT_SECONDS} s,
 *       visibility timeout {@link #VISIBILITY_SECONDS} s) and deletes what it received with
 *       one DeleteMessageBatch.
 * </ul>
 * After the producers stop, the consumers go on until every acknowledged body was received
 * and both queues are empty, or a bound passes ({@link #drain}).
 */
public final class QueueWorkload {
  /** Longer than any receive may take (wait + deadline): see FifoOrderChecker. */
  public static final int VISIBILITY_SECONDS = 10;
  public static final int WAIT_SECONDS = 3;
  public static final int MAX_MESSAGES = 10;
  public static final Duration FIFO_RETRY_FOR = Duration.ofSeconds(60);
  private static final long AVOID_FAILED_NODE_MILLIS = 1_000;
  private static final long PAUSE_AFTER_FAILURE_MILLIS = 50;

  /** A queue of the drill: its name (the history's key), URL and kind. */
  public record Queue(String name, String url, boolean fifo) {}

  private final History history;
  private final List<SqsClient> endpoints;
  private final List<Queue> queues;
  private final int perRole;
  private final int groups;
  private final Map<String, Long> avoidUntil = new ConcurrentHashMap<>();
  private final AtomicLong nextEndpoint = new AtomicLong();
  private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
  private final Set<String> received = ConcurrentHashMap.newKeySet();
  private final List<Thread> producers = new ArrayList<>();
  private final List<Thread> consumers = new ArrayList<>();
  private volatile boolean producing = true;
  private volatile boolean consuming = true;

  /**
   * @param perRole producers and consumers per queue
   * @param groups FIFO message groups, shared out among the FIFO producers
   */
  public QueueWorkload(History history, List<SqsClient> endpoints, Queue standard, Queue fifo,
      int perRole, int groups) {
    if (endpoints.isEmpty() || perRole < 1 || groups < 1 || standard.fifo() || !fifo.fifo()) {
      throw new IllegalArgumentException("need endpoints, a standard and a FIFO queue, and at "
          + "least one producer, consumer and group");
    }
    this.history = history;
    this.endpoints = endpoints;
    this.queues = List.of(standard, fifo);
    this.perRole = perRole;
    this.groups = groups;
  }

  public List<Queue> queues() {
    return queues;
  }

  public void start() {
    int process = 0;
    for (Queue q : queues) {
      for (int i = 0; i < perRole; i++) {
        int p = process++;
        int index = i;
        producers.add(thread("drill-send-" + q.name() + "-" + i,
            q.fifo() ? () -> produceFifo(p, q, index) : () -> produceStandard(p, q)));
      }
      for (int i = 0; i < perRole; i++) {
        int p = process++;
        consumers.add(thread("drill-receive-" + q.name() + "-" + i, () -> consume(p, q)));
      }
    }
    producers.forEach(Thread::start);
    consumers.forEach(Thread::start);
  }

  private static Thread thread(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }

  /** Stops sending and waits for the sends in flight (and their retries) to end. */
  public void stopProducers() throws InterruptedException {
    producing = false;
    for (Thread t : producers) {
      t.join();
    }
  }

  /**
   * Waits, while the consumers go on, until every acknowledged body was received and both
   * queues report no message (visible, in flight or delayed), at most {@code within}.
   *
   * @return whether that happened in time
   */
  public boolean drain(Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (received.containsAll(acknowledged) && queues.stream().allMatch(this::empty)) {
        return true;
      }
      Thread.sleep(500);
    }
    return false;
  }

  /** Acknowledged bodies not received (yet), for progress messages. */
  public long missing() {
    return acknowledged.stream().filter(b -> !received.contains(b)).count();
  }

  /** Stops receiving and waits for the calls in flight to end. */
  public void stop() throws InterruptedException {
    producing = false;
    consuming = false;
    for (Thread t : producers) {
      t.join();
    }
    for (Thread t : consumers) {
      t.join();
    }
  }

  private boolean empty(Queue q) {
    for (int i = 0; i < endpoints.size(); i++) {
      SqsClient.Result<Map<String, String>> r = endpoints.get(i).attributes(q.url());
      if (r instanceof SqsClient.Ok<Map<String, String>> ok) {
        Map<String, String> a = ok.value();
        return "0".equals(a.get("ApproximateNumberOfMessages"))
            && "0".equals(a.get("ApproximateNumberOfMessagesNotVisible"))
            && "0".equals(a.get("ApproximateNumberOfMessagesDelayed"));
      }
    }
    return false;
  }

  private void produceStandard(int process, Queue q) {
    long counter = 0;
    while (producing) {
      String body = "p" + process + "-" + (++counter);
      SqsClient endpoint = pick();
      Op op = history.invoke(process, Op.SEND, q.name(), OpValue.of(body));
      SqsClient.Result<String> r = endpoint.send(q.url(), body, null, null);
      if (r instanceof SqsClient.Ok<String> ok) {
        history.ok(op, OpValue.message(ok.value(), body));
        acknowledged.add(body);
      } else {
        record(op, r, endpoint);
      }
    }
  }

  /** Groups g with g % perRole == index, each in counter order, round and round. */
  private void produceFifo(int process, Queue q, int index) {
    List<Integer> mine = new ArrayList<>();
    for (int g = index; g < groups; g += perRole) {
      mine.add(g);
    }
    if (mine.isEmpty()) {
      return;
    }
    long[] next = new long[groups];
    for (int turn = 0; producing; turn++) {
      int g = mine.get(turn % mine.size());
      FifoBody body = new FifoBody(g, next[g]++);
      long giveUp = System.nanoTime() + FIFO_RETRY_FOR.toNanos();
      // Every try of one message carries its deduplication id: retried while unknown.
      while (producing && System.nanoTime() < giveUp) {
        SqsClient endpoint = pick();
        Op op = history.invoke(process, Op.SEND, q.name(), OpValue.of(body.toString()));
        SqsClient.Result<String> r = endpoint.send(q.url(), body.toString(), body.groupId(),
            body.deduplicationId());
        if (r instanceof SqsClient.Ok<String> ok) {
          history.ok(op, OpValue.message(ok.value(), body.toString()));
          acknowledged.add(body.toString());
          break;
        }
        record(op, r, endpoint);
        if (r instanceof SqsClient.Failed) {
          break; // refused: it is not in the queue, and the group goes on with the next
        }
      }
    }
  }

  private void consume(int process, Queue q) {
    while (consuming) {
      SqsClient endpoint = pick();
      Op op = history.invoke(process, Op.RECEIVE, q.name(), null);
      SqsClient.Result<List<SqsClient.Received>> r = endpoint.receive(q.url(), MAX_MESSAGES,
          VISIBILITY_SECONDS, WAIT_SECONDS);
      if (!(r instanceof SqsClient.Ok<List<SqsClient.Received>> ok)) {
        record(op, r, endpoint);
        continue;
      }
      List<SqsClient.Received> messages = ok.value();
      history.ok(op, OpValue.messages(messages.stream()
          .map(m -> new OpValue.Message(m.id(), m.body())).toList()));
      if (messages.isEmpty()) {
        continue;
      }
      messages.forEach(m -> received.add(m.body()));
      List<OpValue.Message> asked = messages.stream()
          .map(m -> new OpValue.Message(m.id(), m.body())).toList();
      SqsClient deleter = pick();
      Op delete = history.invoke(process, Op.DELETE, q.name(), OpValue.messages(asked));
      SqsClient.Result<List<Integer>> d = deleter.deleteBatch(q.url(), messages);
      if (d instanceof SqsClient.Ok<List<Integer>> deleted) {
        history.ok(delete, OpValue.messages(deleted.value().stream().map(asked::get).toList()));
      } else {
        record(delete, d, deleter); // undeleted messages come back after their timeout
      }
    }
  }

  private void record(Op op, SqsClient.Result<?> result, SqsClient endpoint) {
    if (result instanceof SqsClient.Failed<?> failed) {
      history.fail(op, failed.error());
    } else {
      history.info(op, ((SqsClient.Unknown<?>) result).error());
      avoidUntil.put(endpoint.nodeId(), System.currentTimeMillis() + AVOID_FAILED_NODE_MILLIS);
    }
    try {
      Thread.sleep(PAUSE_AFTER_FAILURE_MILLIS); // no busy loop on a node that refuses at once
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The next node in turn that did not just fail a call; any node if all did. */
  private SqsClient pick() {
    long now = System.currentTimeMillis();
    for (int attempt = 0; attempt < endpoints.size(); attempt++) {
      SqsClient candidate = endpoints.get(
          (int) (nextEndpoint.getAndIncrement() % endpoints.size()));
      if (avoidUntil.getOrDefault(candidate.nodeId(), 0L) <= now) {
        return candidate;
      }
    }
    return endpoints.get((int) (nextEndpoint.getAndIncrement() % endpoints.size()));
  }
}
