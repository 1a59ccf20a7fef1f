package fabric.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.rpc.ErrorInfo;
import fabric.kinesis.v1.CreateStreamRequest;
import fabric.kinesis.v1.DescribeStreamRequest;
import fabric.kinesis.v1.GetRecordsRequest;
import fabric.kinesis.v1.GetRecordsResponse;
import fabric.kinesis.v1.GetShardIteratorRequest;
import fabric.kinesis.v1.PutRecordRequest;
import fabric.kinesis.v1.PutRecordsRequest;
import fabric.kinesis.v1.PutRecordsRequestEntry;
import fabric.kinesis.v1.PutRecordsResultEntry;
import fabric.kinesis.v1.Record;
import fabric.kinesis.v1.StreamDescription;
import fabric.node.testing.KinesisTestClient;
import fabric.node.testing.TestCluster;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kinesis across a crash: three nodes in us-east-1a/b/c, a stream of two shards, four
 * producers putting records (PutRecords of one record per key, and now and then a single
 * PutRecord) with a counter per partition key through the two nodes that survive, while the
 * node, and so the AZ, that leads shard 0 is crashed. The producers never retry: a record
 * whose outcome is unknown may or may not be in the stream, once at most. Afterwards a reader
 * from TRIM_HORIZON, through a surviving node, must see in each shard every acknowledged
 * record exactly once, at the sequence number its put answered, in increasing sequence
 * numbers, with each key's acknowledged counters in increasing order; no refused record and
 * no record twice.
 */
class KinesisFailoverTest {
  private static final String ACCOUNT = "135713571357";
  private static final String STREAM = "failover";
  private static final int PRODUCERS = 4;
  private static final int KEYS_PER_PRODUCER = 4;
  /** Acknowledged records on the crashed shard before the crash, and after it. */
  private static final int BEFORE_CRASH = 150;
  private static final int AFTER_CRASH = 150;

  @TempDir
  Path dataDir;

  /** What a put of one record came to. */
  private enum Outcome { OK, FAILED, UNKNOWN }

  /** One record a producer sent: {@code data} is {@code key:counter}. */
  private record Sent(String key, long counter, String data, Outcome outcome, String shardId,
      String sequenceNumber) {}

  @Test
  void everyAcknowledgedRecordIsReadOnceInOrderAfterTheShardLeadersAzCrashes()
      throws Exception {
    try (TestCluster cluster = TestCluster.start(dataDir)) {
      KinesisTestClient[] clients = new KinesisTestClient[3];
      for (int i = 0; i < 3; i++) {
        clients[i] = new KinesisTestClient("127.0.0.1", cluster.node(i).grpcPort(), ACCOUNT);
      }
      try {
        clients[0].blocking().createStream(CreateStreamRequest.newBuilder()
            .setStreamName(STREAM).setShardCount(2).build());
        StreamDescription d = clients[0].blocking().describeStream(DescribeStreamRequest
            .newBuilder().setStreamName(STREAM).build()).getStreamDescription();
        long createdMillis = Math.round(d.getStreamCreationTimestamp() * 1000);
        String target = "shardId-000000000000";
        String entity = ACCOUNT + "/us-east-1/" + STREAM + "/" + createdMillis + "/" + target;
        clients[0].blocking().putRecord(PutRecordRequest.newBuilder().setStreamName(STREAM)
            .setPartitionKey("warm").setExplicitHashKey("0")
            .setData(ByteString.copyFromUtf8("warm:0")).build());
        int leader = cluster.leaderOf(0, "KinesisShard", entity).orElseThrow();
        List<KinesisTestClient> survivors = List.of(clients[(leader + 1) % 3],
            clients[(leader + 2) % 3]);

        Map<String, Sent> sent = new ConcurrentHashMap<>();
        AtomicInteger ackedOnTarget = new AtomicInteger();
        AtomicBoolean crashed = new AtomicBoolean();
        AtomicInteger ackedOnTargetAfterCrash = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
          int producer = p;
          Thread t = new Thread(() -> produce(producer, survivors, sent, running, r -> {
            if (r.outcome() == Outcome.OK && target.equals(r.shardId())) {
              ackedOnTarget.incrementAndGet();
              if (crashed.get()) {
                ackedOnTargetAfterCrash.incrementAndGet();
              }
            }
          }), "kinesis-producer-" + p);
          t.setDaemon(true);
          producers.add(t);
          t.start();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (ackedOnTarget.get() < BEFORE_CRASH && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        cluster.crash(leader); // us-east-1a/b/c: the AZ of the shard's leader, whole
        crashed.set(true);
        System.out.printf("KinesisFailoverTest: crashed node-%d (%s), the leader of %s, after "
            + "%d records acknowledged on it%n", leader + 1, TestCluster.AZS.get(leader), target,
            ackedOnTarget.get());
        while (ackedOnTargetAfterCrash.get() < AFTER_CRASH && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        running.set(false);
        for (Thread t : producers) {
          t.join(60_000);
        }
        assertThat(ackedOnTargetAfterCrash.get()).as("records acknowledged on %s after the "
            + "crash of node-%d (%s)", target, leader + 1, TestCluster.AZS.get(leader))
            .isGreaterThanOrEqualTo(AFTER_CRASH);
        int newLeader = cluster.leaderOf((leader + 1) % 3, "KinesisShard", entity)
            .orElseThrow();
        assertThat(newLeader).isNotEqualTo(leader);

        Map<String, List<Record>> read = new HashMap<>();
        for (var shard : d.getShardsList()) {
          read.put(shard.getShardId(), readAll(survivors.get(0), shard.getShardId()));
        }
        check(sent, read);
      } finally {
        for (KinesisTestClient c : clients) {
          c.close();
        }
      }
    }
  }

  /** A producer: its keys {@code p<producer>k<j>}, each with a counter from 1. */
  private static void produce(int producer, List<KinesisTestClient> via,
      Map<String, Sent> sent, AtomicBoolean running, java.util.function.Consumer<Sent> seen) {
    long[] counters = new long[KEYS_PER_PRODUCER];
    for (int call = 0; running.get(); call++) {
      KinesisTestClient client = via.get(call % via.size());
      List<String> keys = new ArrayList<>();
      List<String> data = new ArrayList<>();
      int n = call % 5 == 4 ? 1 : KEYS_PER_PRODUCER; // now and then a single PutRecord
      for (int j = 0; j < n; j++) {
        int k = n == 1 ? (call / 5) % KEYS_PER_PRODUCER : j;
        String key = "p" + producer + "k" + k;
        keys.add(key);
        data.add(key + ":" + (++counters[k]));
      }
      List<Sent> results = new ArrayList<>();
      try {
        if (n == 1) {
          var r = client.blocking().withDeadlineAfter(5, TimeUnit.SECONDS).putRecord(
              PutRecordRequest.newBuilder().setStreamName(STREAM).setPartitionKey(keys.get(0))
                  .setData(ByteString.copyFromUtf8(data.get(0))).build());
          results.add(sent(data.get(0), Outcome.OK, r.getShardId(), r.getSequenceNumber()));
        } else {
          PutRecordsRequest.Builder request = PutRecordsRequest.newBuilder()
              .setStreamName(STREAM);
          for (int j = 0; j < n; j++) {
            request.addRecords(PutRecordsRequestEntry.newBuilder().setPartitionKey(keys.get(j))
                .setData(ByteString.copyFromUtf8(data.get(j))));
          }
          var response = client.blocking().withDeadlineAfter(5, TimeUnit.SECONDS)
              .putRecords(request.build());
          for (int j = 0; j < n; j++) {
            PutRecordsResultEntry e = response.getRecords(j);
            Outcome o = e.getErrorCode().isEmpty() ? Outcome.OK
                : e.getErrorCode().equals("ProvisionedThroughputExceededException")
                    ? Outcome.FAILED : Outcome.UNKNOWN;
            results.add(sent(data.get(j), o, e.getShardId(), e.getSequenceNumber()));
          }
        }
      } catch (StatusRuntimeException e) {
        Outcome o = definite(e) ? Outcome.FAILED : Outcome.UNKNOWN;
        for (String body : data) {
          results.add(sent(body, o, "", ""));
        }
        sleep(100); // unavailable during the failover: go on, as a client would
      }
      for (Sent s : results) {
        sent.put(s.data(), s);
        seen.accept(s);
      }
    }
  }

  private static Sent sent(String data, Outcome outcome, String shardId, String seq) {
    int colon = data.indexOf(':');
    return new Sent(data.substring(0, colon), Long.parseLong(data.substring(colon + 1)), data,
        outcome, shardId, seq);
  }

  /** A refusal that proves the put did nothing: throttled, or the caller's mistake. */
  private static boolean definite(StatusRuntimeException e) {
    var status = StatusProto.fromThrowable(e);
    if (status != null) {
      for (var detail : status.getDetailsList()) {
        try {
          if (detail.is(ErrorInfo.class) && detail.unpack(ErrorInfo.class).getReason()
              .equals("ProvisionedThroughputExceededException")) {
            return true;
          }
        } catch (Exception ignored) {
          // not an ErrorInfo after all
        }
      }
    }
    Status.Code c = e.getStatus().getCode();
    return c == Status.Code.INVALID_ARGUMENT || c == Status.Code.NOT_FOUND;
  }

  /** Every record of a shard from TRIM_HORIZON to its tip, backing off when throttled. */
  private static List<Record> readAll(KinesisTestClient client, String shardId)
      throws InterruptedException {
    String it = client.blocking().getShardIterator(GetShardIteratorRequest.newBuilder()
        .setStreamName(STREAM).setShardId(shardId).setShardIteratorType("TRIM_HORIZON")
        .build()).getShardIterator();
    List<Record> out = new ArrayList<>();
    for (int i = 0; i < 10_000 && !it.isEmpty(); i++) {
      GetRecordsResponse page;
      try {
        page = client.blocking().getRecords(GetRecordsRequest.newBuilder().setShardIterator(it)
            .setLimit(500).build());
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED) {
          Thread.sleep(250); // 5 GetRecords a second per shard
          continue;
        }
        throw e;
      }
      out.addAll(page.getRecordsList());
      if (page.getRecordsCount() == 0 && page.getMillisBehindLatest() == 0) {
        break; // at the tip: the producers stopped
      }
      it = page.getNextShardIterator();
    }
    return out;
  }

  private static void check(Map<String, Sent> sent, Map<String, List<Record>> read) {
    List<String> problems = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (var shard : read.entrySet()) {
      String previous = "";
      Map<String, Long> lastAckedCounter = new HashMap<>();
      for (Record r : shard.getValue()) {
        String body = r.getData().toStringUtf8();
        if (r.getSequenceNumber().compareTo(previous) <= 0) {
          problems.add(shard.getKey() + ": " + r.getSequenceNumber() + " after " + previous);
        }
        previous = r.getSequenceNumber();
        if (!seen.add(body)) {
          problems.add(shard.getKey() + ": " + body + " read twice (again at "
              + r.getSequenceNumber() + ")");
        }
        Sent s = sent.get(body);
        if (body.equals("warm:0")) {
          continue; // acknowledged before the producers started: seen is all it needs
        }
        if (s == null) {
          problems.add(shard.getKey() + ": " + body + " was never sent");
          continue;
        }
        if (s.outcome() == Outcome.FAILED) {
          problems.add(shard.getKey() + ": " + body + " is there although its put was refused");
        }
        if (s.outcome() == Outcome.OK) {
          if (!s.shardId().equals(shard.getKey())
              || !s.sequenceNumber().equals(r.getSequenceNumber())) {
            problems.add(body + " acknowledged as " + s.shardId() + "/" + s.sequenceNumber()
                + " but read in " + shard.getKey() + " at " + r.getSequenceNumber());
          }
          Long last = lastAckedCounter.put(s.key(), s.counter());
          if (last != null && last >= s.counter()) {
            problems.add(shard.getKey() + ": key " + s.key() + " counter " + s.counter()
                + " after " + last);
          }
        }
      }
    }
    long acknowledged = 0;
    if (!seen.contains("warm:0")) {
      problems.add("the acknowledged warm-up record is lost");
    }
    for (Sent s : sent.values()) {
      if (s.outcome() == Outcome.OK) {
        acknowledged++;
        if (!seen.contains(s.data())) {
          problems.add("acknowledged " + s.data() + " (" + s.shardId() + "/"
              + s.sequenceNumber() + ") is lost");
        }
      }
    }
    long unknown = sent.values().stream().filter(s -> s.outcome() == Outcome.UNKNOWN).count();
    long unknownPresent = sent.values().stream().filter(s -> s.outcome() == Outcome.UNKNOWN
        && seen.contains(s.data())).count();
    System.out.printf("KinesisFailoverTest: %d records sent, %d acknowledged, %d unknown (%d of "
        + "them read), %d read%n", sent.size(), acknowledged, unknown, unknownPresent,
        seen.size());
    assertThat(acknowledged).isGreaterThanOrEqualTo(BEFORE_CRASH + AFTER_CRASH);
    assertThat(problems).as("%d records sent, %d acknowledged, %d read", sent.size(),
        acknowledged, seen.size()).isEmpty();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
