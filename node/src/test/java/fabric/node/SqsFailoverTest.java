package fabric.node;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.node.testing.S3TestClient;
import fabric.node.testing.SqsTestClient;
import fabric.node.testing.TestCluster;
import fabric.queue.QueueId;
import fabric.queue.entity.QueueDefinition;
import fabric.sqs.v1.CreateQueueRequest;
import fabric.sqs.v1.DeleteMessageBatchRequest;
import fabric.sqs.v1.DeleteMessageBatchRequestEntry;
import fabric.sqs.v1.DeleteMessageBatchResponse;
import fabric.sqs.v1.DeleteMessageRequest;
import fabric.sqs.v1.GetQueueAttributesRequest;
import fabric.sqs.v1.Message;
import fabric.sqs.v1.ReceiveMessageRequest;
import fabric.sqs.v1.SendMessageRequest;
import fabric.sqs.v1.SendMessageResponse;
import io.grpc.StatusRuntimeException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQS across a crash. Three nodes in us-east-1a/b/c; a producer sends and a consumer
 * receives and deletes through the two nodes that do not host the queue, while the node that
 * hosts the queue's leader (and so that whole AZ: one node per AZ) is crashed mid-stream,
 * without a graceful leave, as a kill -9: the Split Brain Resolver downs it and sharding
 * restarts the queue in a surviving AZ from the journal. Calls that fail during the failover
 * (UNAVAILABLE, deadline exceeded) are retried; a send that failed is 'unknown' (it may or may
 * not arrive). What must survive:
 * <ul>
 *   <li>standard queue: every message whose SendMessage was acknowledged is received at least
 *       once afterwards;
 *   <li>FIFO queue: the same, and no message group's order is broken: first deliveries come
 *       in send order, a message once deleted never comes back, and after a message of a group
 *       was deleted no earlier message of that group is delivered again.
 * </ul>
 * Speed is not asserted: the waits are generous bounds, and the failover gap is printed.
 */
class SqsFailoverTest {
  private static final String ACCOUNT = "444455556666";
  /** Acknowledged sends before the crash. */
  private static final int BEFORE_CRASH = 120;
  /** Acknowledged sends started after the crash before the producer stops. */
  private static final int AFTER_CRASH = 120;
  private static final int VISIBILITY_SECONDS = 5;
  private static final long CALL_MILLIS = 10_000;
  private static final Duration RECOVERY = Duration.ofSeconds(90);
  private static final Duration DRAIN = Duration.ofSeconds(60);
  private static final int GROUPS = 4;

  @TempDir
  Path dataDir;

  /**
   * Kills the node in the AZ that hosts a standard queue's leader (the first queue of a new
   * cluster: us-east-1a, the oldest node, which also runs sharding's coordinator) while
   * messages stream in and out through the other two AZs; every acknowledged send is
   * received afterwards.
   */
  @Test
  void crashingTheAzHostingAStandardQueueLosesNoAcknowledgedMessage() throws Exception {
    try (TestCluster cluster = TestCluster.start(dataDir)) {
      Placement p = createQueue(cluster, "orders", Map.of(
          "VisibilityTimeout", String.valueOf(VISIBILITY_SECONDS)));
      StandardStream s = new StandardStream();
      try (SqsTestClient producerClient = cluster.sqsClient(p.producer, ACCOUNT);
          SqsTestClient consumerClient = cluster.sqsClient(p.consumer, ACCOUNT)) {
        s.run(cluster, p, () -> s.produce(producerClient, p.url),
            () -> s.consume(consumerClient, p.url),
            () -> s.delivered.keySet().containsAll(s.acked.keySet())
                && queueEmpty(consumerClient, p.url));

        Set<String> lost = new HashSet<>(s.acked.keySet());
        lost.removeAll(s.delivered.keySet());
        long unknownArrived = s.unknown.stream().filter(s.delivered::containsKey).count();
        long redelivered = s.delivered.values().stream().mapToInt(AtomicInteger::get)
            .filter(n -> n > 1).count();
        Optional<Integer> movedTo = cluster.leaderOf(p.consumer,
            QueueDefinition.TYPE_KEY.name(), p.entityId);
        System.out.printf("SQS FAILOVER (standard): crashed node-%d in %s, the queue's "
            + "leader; queue now on %s; %d sends acknowledged (%d before the crash), %d "
            + "unknown (%d of them arrived), %d messages delivered, %d more than once, %d "
            + "back after a successful delete; first send acknowledged %s ms after the "
            + "crashed node had stopped; errors %s%n", p.leader + 1,
            TestCluster.AZS.get(p.leader), movedTo.map(n -> "node-" + (n + 1)).orElse("?"),
            s.acked.size(), s.ackedBefore, s.unknown.size(), unknownArrived,
            s.delivered.size(), redelivered, s.backAfterDelete.size(), s.gapMillis(),
            s.errors());

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(s.describe(lost)).as("acknowledged sends never received (%d of %d "
            + "acknowledged; queue leader node-%d crashed; first 20 shown, earliest first); "
            + "errors during the run: %s", lost.size(), s.acked.size(), p.leader + 1,
            s.errors()).isEmpty();
        soft.assertThat(s.drained).as("drained within %d s: every acknowledged message received "
            + "and the queue empty; its attributes now: %s", DRAIN.toSeconds(),
            attributes(consumerClient, p.url)).isTrue();
        soft.assertThat(movedTo).as("the queue's leader after the crash")
            .hasValueSatisfying(n -> assertThat(n).isNotEqualTo(p.leader));
        soft.assertAll();
      }
    }
  }

  /**
   * Kills the node in the AZ that hosts a FIFO queue's leader (the second queue: us-east-1b)
   * while {@value #GROUPS} message groups stream in and out through the other two AZs; every
   * acknowledged send is received afterwards, and no group's order breaks: first deliveries in
   * send order, no deleted message back, nothing older than a deleted message of its group
   * delivered again.
   */
  @Test
  void crashingTheAzHostingAFifoQueueKeepsEveryGroupInOrder() throws Exception {
    try (TestCluster cluster = TestCluster.start(dataDir)) {
      // A first queue takes the first AZ (us-east-1a, the oldest node, where sharding's
      // coordinator runs); the FIFO queue then goes to the least loaded AZ, so this test
      // crashes a younger node while the standard queue's test crashes the oldest.
      createQueue(cluster, "payments-audit", Map.of());
      Placement p = createQueue(cluster, "payments.fifo", Map.of("FifoQueue", "true",
          "VisibilityTimeout", String.valueOf(VISIBILITY_SECONDS)));
      FifoStream s = new FifoStream();
      try (SqsTestClient producerClient = cluster.sqsClient(p.producer, ACCOUNT);
          SqsTestClient consumerClient = cluster.sqsClient(p.consumer, ACCOUNT)) {
        s.run(cluster, p, () -> s.produce(producerClient, p.url),
            () -> s.consume(consumerClient, p.url),
            () -> s.deliveredBodies().containsAll(s.acked.keySet())
                && queueEmpty(consumerClient, p.url));

        List<String> violations = s.orderViolations();
        Set<String> lost = new HashSet<>(s.acked.keySet());
        lost.removeAll(s.deliveredBodies());
        Optional<Integer> movedTo = cluster.leaderOf(p.consumer,
            QueueDefinition.TYPE_KEY.name(), p.entityId);
        System.out.printf("SQS FAILOVER (FIFO): crashed node-%d in %s, the queue's leader; "
            + "queue now on %s; %d sends acknowledged (%d before the crash) in %d groups, %d "
            + "deliveries, %d deletes; first send acknowledged %s ms after the crashed node "
            + "had stopped; errors %s%n", p.leader + 1, TestCluster.AZS.get(p.leader),
            movedTo.map(n -> "node-" + (n + 1)).orElse("?"), s.acked.size(), s.ackedBefore,
            GROUPS, s.deliveries().size(), s.deletes(), s.gapMillis(), s.errors());

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(s.producerFailure).as("producer").isNull();
        soft.assertThat(s.describe(lost)).as("acknowledged sends never received (%d of %d "
            + "acknowledged; queue leader node-%d crashed; first 20 shown, earliest first); "
            + "errors during the run: %s", lost.size(), s.acked.size(), p.leader + 1,
            s.errors()).isEmpty();
        soft.assertThat(violations.subList(0, Math.min(20, violations.size())))
            .as("FIFO order (%d violations, first 20 shown)", violations.size()).isEmpty();
        soft.assertThat(s.drained).as("drained within %d s: every acknowledged message received "
            + "and the queue empty; its attributes now: %s", DRAIN.toSeconds(),
            attributes(consumerClient, p.url)).isTrue();
        soft.assertThat(movedTo).as("the queue's leader after the crash")
            .hasValueSatisfying(n -> assertThat(n).isNotEqualTo(p.leader));
        soft.assertAll();
      }
    }
  }

  // ---------------------------------------------------------------- set-up and helpers

  /** The queue, the node hosting its leader (to crash) and the two others (to stream through). */
  private record Placement(String url, String entityId, int leader, int producer,
      int consumer) {}

  private static Placement createQueue(TestCluster cluster, String name,
      Map<String, String> attributes) throws Exception {
    String url;
    try (SqsTestClient client = cluster.sqsClient(0, ACCOUNT)) {
      // A cold cluster's first call may find the shards still starting.
      url = S3TestClient.retryWhileUnavailable(() -> client.blocking(CALL_MILLIS)
          .createQueue(CreateQueueRequest.newBuilder().setQueueName(name)
              .putAllAttributes(attributes).build()).getQueueUrl(), Duration.ofSeconds(60));
    }
    String entityId = new QueueId("us-east-1", ACCOUNT, name).entityId();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    Optional<Integer> leader = cluster.leaderOf(0, QueueDefinition.TYPE_KEY.name(), entityId);
    while (leader.isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no node shows queue " + entityId + " as a live entity");
      }
      Thread.sleep(200);
      leader = cluster.leaderOf(0, QueueDefinition.TYPE_KEY.name(), entityId);
    }
    int l = leader.get();
    return new Placement(url, entityId, l, (l + 1) % cluster.size(), (l + 2) % cluster.size());
  }

  private static Map<String, String> attributes(SqsTestClient client, String url) {
    try {
      return client.blocking(CALL_MILLIS).getQueueAttributes(GetQueueAttributesRequest
          .newBuilder().setQueueUrl(url).addAttributeNames("All").build()).getAttributesMap();
    } catch (StatusRuntimeException e) {
      return Map.of("error", e.getStatus().toString());
    }
  }

  private static boolean queueEmpty(SqsTestClient client, String url) {
    Map<String, String> a = attributes(client, url);
    return "0".equals(a.get("ApproximateNumberOfMessages"))
        && "0".equals(a.get("ApproximateNumberOfMessagesNotVisible"))
        && "0".equals(a.get("ApproximateNumberOfMessagesDelayed"));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * What both streams share: the producer and consumer threads, the crash in the middle, the
   * error counts and the failover gap.
   */
  private abstract static class Stream {
    /** Body to the time its send was acknowledged. */
    final Map<String, Long> ackedAt = new ConcurrentHashMap<>();
    final Map<String, LongAdder> errorCounts = new ConcurrentHashMap<>();
    final AtomicInteger ackedAfterCrash = new AtomicInteger();
    final AtomicLong firstAckAfterCrash = new AtomicLong();
    /** When the crash began, and when the crashed node's actor system had terminated. */
    volatile long crashNanos = Long.MAX_VALUE;
    volatile long crashedNanos = Long.MAX_VALUE;
    volatile boolean producing = true;
    volatile boolean consuming = true;
    int ackedBefore;
    boolean drained;

    abstract int ackedCount();

    /** Runs producer and consumer, crashes the leader's node mid-stream, then drains. */
    void run(TestCluster cluster, Placement p, Runnable producer, Runnable consumer,
        BooleanSupplier drainedWhen) throws Exception {
      Thread producerThread = new Thread(producer, "sqs-failover-producer");
      Thread consumerThread = new Thread(consumer, "sqs-failover-consumer");
      producerThread.start();
      consumerThread.start();
      try {
        await(() -> ackedCount() >= BEFORE_CRASH, Duration.ofSeconds(60),
            "acknowledged sends before the crash");
        // With one or two queues the AZs never differ by more than a shard, so no rebalance
        // moves the queue; check anyway that the node about to be crashed still hosts it.
        assertThat(cluster.leaderOf(p.consumer, QueueDefinition.TYPE_KEY.name(), p.entityId))
            .as("the queue's leader just before the crash").contains(p.leader);
        ackedBefore = ackedCount();
        crashNanos = System.nanoTime();
        cluster.crash(p.leader);
        crashedNanos = System.nanoTime();
        await(() -> ackedAfterCrash.get() >= AFTER_CRASH, RECOVERY, "acknowledged sends "
            + "started after node-" + (p.leader + 1) + " crashed");
        // Keep streaming until messages received but not deleted around the crash are
        // visible again, so that they come back while new ones still arrive.
        long until = firstAckAfterCrash.get() + (VISIBILITY_SECONDS + 2) * 1_000_000_000L;
        while (System.nanoTime() < until) {
          Thread.sleep(100);
        }
        producing = false;
        producerThread.join(2 * CALL_MILLIS + RECOVERY.toMillis());
        long deadline = System.nanoTime() + DRAIN.toNanos();
        while (!(drained = drainedWhen.getAsBoolean()) && System.nanoTime() < deadline) {
          Thread.sleep(500);
        }
      } finally {
        producing = false;
        consuming = false;
        producerThread.join(2 * CALL_MILLIS + RECOVERY.toMillis());
        consumerThread.join(2 * CALL_MILLIS);
      }
    }

    private void await(BooleanSupplier condition, Duration timeout, String what)
        throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!condition.getAsBoolean()) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("not enough " + what + " within " + timeout.toSeconds()
              + " s (" + ackedCount() + " acknowledged in all, " + ackedAfterCrash.get()
              + " after the crash); errors " + errors());
        }
        Thread.sleep(50);
      }
    }

    void acknowledged(String body, long startedNanos) {
      long now = System.nanoTime();
      ackedAt.put(body, now);
      if (startedNanos > crashedNanos) {
        ackedAfterCrash.incrementAndGet();
        firstAckAfterCrash.compareAndSet(0, now);
      }
    }

    void error(String call, StatusRuntimeException e) {
      String code = SqsTestClient.awsCode(e);
      errorCounts.computeIfAbsent(call + " " + e.getStatus().getCode()
          + (code.isEmpty() ? "" : "/" + code), k -> new LongAdder()).increment();
    }

    String errors() {
      Map<String, Long> out = new TreeMap<>();
      errorCounts.forEach((k, v) -> out.put(k, v.sum()));
      return out.toString();
    }

    String gapMillis() {
      long first = firstAckAfterCrash.get();
      return first == 0 ? "(none)" : String.valueOf((first - crashedNanos) / 1_000_000);
    }

    String since(long nanos) {
      return String.format("%+.1f s from the crash", (nanos - crashNanos) / 1e9);
    }

    /** The first 20 lost bodies, earliest acknowledged first, each with when that was. */
    List<String> describe(Set<String> lost) {
      return lost.stream().sorted(java.util.Comparator.comparing(ackedAt::get)).limit(20)
          .map(b -> b + " (acknowledged " + since(ackedAt.get(b)) + ")").toList();
    }
  }

  /** A standard queue: unique bodies, batch deletes, no retry of a failed send. */
  private static final class StandardStream extends Stream {
    final Map<String, Long> acked = ackedAt;
    final Set<String> unknown = ConcurrentHashMap.newKeySet();
    /** Body to how many times it was delivered. */
    final Map<String, AtomicInteger> delivered = new ConcurrentHashMap<>();
    final Set<String> deleted = ConcurrentHashMap.newKeySet();
    /** Informational: a standard queue is at-least-once. */
    final Set<String> backAfterDelete = ConcurrentHashMap.newKeySet();

    @Override
    int ackedCount() {
      return acked.size();
    }

    void produce(SqsTestClient client, String url) {
      for (int n = 0; producing; n++) {
        String body = "m-" + n;
        long started = System.nanoTime();
        try {
          client.blocking(CALL_MILLIS).sendMessage(SendMessageRequest.newBuilder()
              .setQueueUrl(url).setMessageBody(body).build());
          acknowledged(body, started);
        } catch (StatusRuntimeException e) {
          unknown.add(body); // may or may not have been enqueued
          error("SendMessage", e);
          sleep(100);
        }
      }
    }

    void consume(SqsTestClient client, String url) {
      while (consuming) {
        List<Message> messages;
        try {
          messages = client.blocking(CALL_MILLIS).receiveMessage(ReceiveMessageRequest
              .newBuilder().setQueueUrl(url).setMaxNumberOfMessages(10)
              .setVisibilityTimeout(VISIBILITY_SECONDS).setWaitTimeSeconds(0).build())
              .getMessagesList();
        } catch (StatusRuntimeException e) {
          error("ReceiveMessage", e);
          sleep(100);
          continue;
        }
        if (messages.isEmpty()) {
          sleep(20);
          continue;
        }
        DeleteMessageBatchRequest.Builder delete = DeleteMessageBatchRequest.newBuilder()
            .setQueueUrl(url);
        for (int i = 0; i < messages.size(); i++) {
          Message m = messages.get(i);
          delivered.computeIfAbsent(m.getBody(), b -> new AtomicInteger()).incrementAndGet();
          if (deleted.contains(m.getBody())) {
            backAfterDelete.add(m.getBody());
          }
          delete.addEntries(DeleteMessageBatchRequestEntry.newBuilder().setId("e" + i)
              .setReceiptHandle(m.getReceiptHandle()));
        }
        try {
          DeleteMessageBatchResponse r = client.blocking(CALL_MILLIS)
              .deleteMessageBatch(delete.build());
          r.getSuccessfulList().forEach(ok -> deleted.add(
              messages.get(Integer.parseInt(ok.getId().substring(1))).getBody()));
          r.getFailedList().forEach(f -> errorCounts.computeIfAbsent(
              "DeleteMessageBatch entry " + f.getCode(), k -> new LongAdder()).increment());
        } catch (StatusRuntimeException e) {
          error("DeleteMessageBatch", e); // the messages come back after their timeout
        }
      }
    }
  }

  /**
   * A FIFO queue: {@value #GROUPS} groups, bodies {@code g<group>:<counter>}. Each message
   * is sent with the explicit deduplication id {@code g<group>-<counter>} and retried until
   * acknowledged (as an SDK would), so that every group's sends are acknowledged in counter
   * order, and deduplication keeps a retried send from being enqueued twice. The consumer
   * deletes each message after processing it, in order; when a delete fails it leaves the
   * rest of that group's batch alone (they come back after their visibility timeout).
   */
  private static final class FifoStream extends Stream {
    record Ack(String messageId, BigInteger sequenceNumber) {}

    /** One step of the consumer's history, in the order it happened. */
    record Step(boolean delete, int group, int counter, String messageId, int receiveCount,
        long atNanos) {}

    final Map<String, Ack> acked = new ConcurrentHashMap<>();
    final List<Step> history = Collections.synchronizedList(new ArrayList<>());
    volatile String producerFailure;

    @Override
    int ackedCount() {
      return acked.size();
    }

    void produce(SqsTestClient client, String url) {
      int[] next = new int[GROUPS];
      while (producing) {
        for (int g = 0; g < GROUPS && producing; g++) {
          String body = "g" + g + ":" + next[g];
          long started = System.nanoTime();
          long deadline = started + RECOVERY.toNanos();
          while (true) {
            try {
              SendMessageResponse r = client.blocking(CALL_MILLIS).sendMessage(
                  SendMessageRequest.newBuilder().setQueueUrl(url).setMessageBody(body)
                      .setMessageGroupId("g" + g)
                      .setMessageDeduplicationId("g" + g + "-" + next[g]).build());
              acked.put(body, new Ack(r.getMessageId(), new BigInteger(r.getSequenceNumber())));
              acknowledged(body, started);
              break;
            } catch (StatusRuntimeException e) {
              error("SendMessage", e);
              if (System.nanoTime() > deadline) {
                producerFailure = "the send of " + body + " was not acknowledged within "
                    + RECOVERY.toSeconds() + " s of retries: " + e.getStatus();
                return;
              }
              sleep(100);
            }
          }
          next[g]++;
        }
      }
    }

    void consume(SqsTestClient client, String url) {
      while (consuming) {
        List<Message> messages;
        try {
          messages = client.blocking(CALL_MILLIS).receiveMessage(ReceiveMessageRequest
              .newBuilder().setQueueUrl(url).setMaxNumberOfMessages(10)
              .setVisibilityTimeout(VISIBILITY_SECONDS).setWaitTimeSeconds(0)
              .addMessageSystemAttributeNames("All").build()).getMessagesList();
        } catch (StatusRuntimeException e) {
          error("ReceiveMessage", e);
          sleep(100);
          continue;
        }
        if (messages.isEmpty()) {
          sleep(20);
          continue;
        }
        Set<Integer> stopped = new HashSet<>();
        for (Message m : messages) {
          String body = m.getBody();
          int group = Integer.parseInt(body.substring(1, body.indexOf(':')));
          int counter = Integer.parseInt(body.substring(body.indexOf(':') + 1));
          history.add(new Step(false, group, counter, m.getMessageId(),
              Integer.parseInt(m.getAttributesOrDefault("ApproximateReceiveCount", "0")),
              System.nanoTime()));
          if (stopped.contains(group)) {
            continue;
          }
          try {
            client.blocking(CALL_MILLIS).deleteMessage(DeleteMessageRequest.newBuilder()
                .setQueueUrl(url).setReceiptHandle(m.getReceiptHandle()).build());
            history.add(new Step(true, group, counter, m.getMessageId(), 0, System.nanoTime()));
          } catch (StatusRuntimeException e) {
            error("DeleteMessage", e);
            stopped.add(group); // keep the group in order: its later messages wait
          }
        }
      }
    }

    List<Step> deliveries() {
      synchronized (history) {
        return history.stream().filter(s -> !s.delete).toList();
      }
    }

    long deletes() {
      synchronized (history) {
        return history.stream().filter(Step::delete).count();
      }
    }

    Set<String> deliveredBodies() {
      Set<String> out = new HashSet<>();
      deliveries().forEach(d -> out.add("g" + d.group + ":" + d.counter));
      return out;
    }

    /** Everything in the acknowledgements and the history that breaks a group's order. */
    List<String> orderViolations() {
      List<String> out = new ArrayList<>();
      // Sequence numbers of acknowledged sends increase within each group.
      for (int g = 0; g < GROUPS; g++) {
        BigInteger previous = BigInteger.valueOf(-1);
        for (int k = 0; acked.containsKey("g" + g + ":" + k); k++) {
          BigInteger seq = acked.get("g" + g + ":" + k).sequenceNumber;
          if (seq.compareTo(previous) <= 0) {
            out.add("SendMessage of g" + g + ":" + k + " was acknowledged with sequence number "
                + seq + ", not above that of g" + g + ":" + (k - 1) + " (" + previous + ")");
          }
          previous = seq;
        }
      }
      Map<Integer, Step> lastDeleted = new HashMap<>();
      Map<Integer, Step> latestFirst = new HashMap<>();
      Map<String, Step> deletedIds = new HashMap<>();
      Set<String> seen = new HashSet<>();
      List<Step> steps;
      synchronized (history) {
        steps = new ArrayList<>(history);
      }
      for (Step s : steps) {
        String name = "g" + s.group + ":" + s.counter;
        if (s.delete) {
          deletedIds.put(s.messageId, s);
          Step last = lastDeleted.get(s.group);
          if (last == null || s.counter > last.counter) {
            lastDeleted.put(s.group, s);
          }
          continue;
        }
        String delivery = name + " (message " + s.messageId + ", receive #" + s.receiveCount
            + ", " + since(s.atNanos) + ")";
        Step gone = deletedIds.get(s.messageId);
        Step last = lastDeleted.get(s.group);
        if (gone != null) {
          out.add("deleted message came back: " + delivery + " had been deleted "
              + since(gone.atNanos));
        } else if (last != null && s.counter <= last.counter) {
          out.add("group g" + s.group + " went backwards: " + delivery + " delivered after "
              + "g" + s.group + ":" + last.counter + " had been deleted " + since(last.atNanos));
        }
        if (seen.add(s.messageId)) {
          Step previous = latestFirst.get(s.group);
          if (previous != null && s.counter <= previous.counter) {
            out.add("group g" + s.group + " out of order: first delivery of " + delivery
                + " after the first delivery of g" + s.group + ":" + previous.counter + " ("
                + since(previous.atNanos) + ")");
          } else {
            latestFirst.put(s.group, s);
          }
        }
        Ack ack = acked.get(name);
        if (ack != null && !ack.messageId.equals(s.messageId)) {
          out.add("enqueued twice despite its deduplication id: " + delivery
              + ", whose SendMessage was acknowledged as message " + ack.messageId);
        }
      }
      return out;
    }
  }
}
