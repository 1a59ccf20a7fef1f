package fabric.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import fabric.core.entity.JournalRead;
import fabric.core.entity.JournalReader;
import fabric.kinesis.shard.ShardEvent;
import fabric.kinesis.v1.CreateStreamRequest;
import fabric.kinesis.v1.DecreaseStreamRetentionPeriodRequest;
import fabric.kinesis.v1.DeleteStreamRequest;
import fabric.kinesis.v1.DescribeStreamRequest;
import fabric.kinesis.v1.GetRecordsRequest;
import fabric.kinesis.v1.GetShardIteratorRequest;
import fabric.kinesis.v1.IncreaseStreamRetentionPeriodRequest;
import fabric.kinesis.v1.PutRecordRequest;
import fabric.node.testing.KinesisTestClient;
import fabric.node.testing.SqsTestClient;
import fabric.node.testing.MovableClock;
import fabric.node.testing.TestCluster;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention through gRPC on a 3-node cluster (H2 journal) whose wall clock the test moves:
 * records past the retention period stop being readable (the trim horizon moves; AT_TIMESTAMP
 * and sequence numbers before it start at the oldest kept record), a retention change takes
 * effect, the expired records' journal rows are deleted, and the shard recovers without them
 * on another node and on its restarted one. DeleteStream deletes its shards' journals.
 */
class KinesisRetentionTest {
  private static final String ACCOUNT = "135713571357";
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final Duration HOUR = Duration.ofHours(1);
  @TempDir
  static Path dataDir;
  private static final MovableClock clock = new MovableClock();
  private static TestCluster cluster;
  private static KinesisTestClient[] clients;

  @BeforeAll
  static void start() throws Exception {
    // Trims every second instead of every minute; no read limits (a test reads often).
    cluster = TestCluster.start(dataDir, Map.of("fabric.kinesis.trim-interval", "1s",
        "fabric.kinesis.enforce-limits", false), clock);
    clients = new KinesisTestClient[3];
    for (int i = 0; i < 3; i++) {
      clients[i] = client(i);
    }
  }

  private static KinesisTestClient client(int i) {
    return new KinesisTestClient("127.0.0.1", cluster.node(i).grpcPort(), ACCOUNT);
  }

  @AfterAll
  static void stop() {
    for (KinesisTestClient c : clients) {
      c.close();
    }
    cluster.close();
  }

  private static void create(String name, int shards) {
    clients[0].blocking().createStream(CreateStreamRequest.newBuilder().setStreamName(name)
        .setShardCount(shards).build());
  }

  /** Puts {@code n} records to shard 0 (hash key 0) and answers their sequence numbers. */
  private static List<String> put(KinesisTestClient client, String stream, String prefix,
      int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(client.blocking().putRecord(PutRecordRequest.newBuilder().setStreamName(stream)
          .setPartitionKey("k").setExplicitHashKey("0")
          .setData(ByteString.copyFromUtf8(prefix + i)).build()).getSequenceNumber());
    }
    return out;
  }

  private static List<String> names(String prefix, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(prefix + i);
    }
    return out;
  }

  private static <T> T eventually(Supplier<T> value, java.util.function.Predicate<T> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    T last = null;
    RuntimeException failure = null;
    while (System.nanoTime() < deadline) {
      try {
        last = value.get();
        failure = null;
        if (done.test(last)) {
          return last;
        }
      } catch (RuntimeException e) {
        failure = e; // a node taking over the shard: retried
      }
      Thread.sleep(200);
    }
    if (failure != null) {
      throw failure;
    }
    return last;
  }

  private static Connection journal() throws Exception {
    return DriverManager.getConnection(EmbeddedJournal.url(dataDir), "fabric", "");
  }

  /** The journal ids of a stream's shards (its creation time is in them). */
  private static List<String> shardJournals(String stream) throws Exception {
    try (Connection c = journal(); PreparedStatement st = c.prepareStatement(
        "SELECT DISTINCT \"persistence_id\" FROM \"event_journal\" WHERE \"persistence_id\" "
            + "LIKE ? ORDER BY 1")) {
      st.setString(1, "KinesisShard|" + ACCOUNT + "/us-east-1/" + stream + "/%");
      List<String> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    }
  }

  private static long count(String sql, String persistenceId, long upTo) throws Exception {
    try (Connection c = journal(); PreparedStatement st = c.prepareStatement(sql)) {
      st.setString(1, persistenceId);
      st.setLong(2, upTo);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Journal rows of {@code pid} up to {@code upTo}: all of them, and those not marked
   *  deleted (the JDBC journal keeps the last deleted row, marked, for its sequence
   *  number). */
  private static long rows(String pid, long upTo) throws Exception {
    return count("SELECT COUNT(*) FROM \"event_journal\" WHERE \"persistence_id\" = ? AND "
        + "\"sequence_number\" <= ?", pid, upTo);
  }

  private static long liveRows(String pid, long upTo) throws Exception {
    return count("SELECT COUNT(*) FROM \"event_journal\" WHERE \"persistence_id\" = ? AND "
        + "\"sequence_number\" <= ? AND NOT \"deleted\"", pid, upTo);
  }

  private static long snapshots(String pid) throws Exception {
    return count("SELECT COUNT(*) FROM \"snapshot\" WHERE \"persistence_id\" = ? AND "
        + "\"sequence_number\" <= ?", pid, Long.MAX_VALUE);
  }

  private static List<JournalRead.Event<ShardEvent>> events(String pid) throws Exception {
    return new JournalReader(cluster.node(0).system()).<ShardEvent>read(pid,
        new JournalRead(1, 10_000)).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void recordsPastRetentionBecomeUnreadableTheirJournalRowsGoAndTheShardLivesOn()
      throws Exception {
    create("expiring", 1);
    long t0 = clock.millis();
    List<String> a = put(clients[0], "expiring", "a-", 20);
    clock.advance(HOUR.multipliedBy(2));
    put(clients[1], "expiring", "b-", 5);
    clock.advance(HOUR.multipliedBy(2));
    put(clients[2], "expiring", "c-", 5);
    List<String> abc = new ArrayList<>(names("a-", 20));
    abc.addAll(names("b-", 5));
    abc.addAll(names("c-", 5));
    String pid = shardJournals("expiring").get(0);
    long lastAOrB = events(pid).stream().filter(e -> e.event() instanceof ShardEvent.RecordsPut
        p && p.firstRecordNumber() < 25).mapToLong(JournalRead.Event::seqNr).max()
        .orElseThrow();

    String early = clients[0].blocking().getShardIterator(GetShardIteratorRequest.newBuilder()
        .setStreamName("expiring").setShardId("shardId-000000000000")
        .setShardIteratorType("TRIM_HORIZON").build()).getShardIterator();
    // 48 h of retention: 24.5 h later everything is still there.
    clients[0].blocking().increaseStreamRetentionPeriod(IncreaseStreamRetentionPeriodRequest
        .newBuilder().setStreamName("expiring").setRetentionPeriodHours(48).build());
    clock.advance(HOUR.multipliedBy(20).plusMinutes(30)); // t0 + 24.5 h
    Thread.sleep(3_000); // three trim ticks
    assertThat(clients[1].fromTrimHorizon("expiring")).isEqualTo(abc);

    // Back to 24 h: the a- records (t0) expire, the b- ones (t0 + 2 h) not yet.
    clients[2].blocking().decreaseStreamRetentionPeriod(DecreaseStreamRetentionPeriodRequest
        .newBuilder().setStreamName("expiring").setRetentionPeriodHours(24).build());
    List<String> bc = abc.subList(20, 30);
    assertThat(eventually(() -> clients[0].fromTrimHorizon("expiring"), bc::equals))
        .as("the trim horizon moved past the expired records").isEqualTo(bc);
    // Readers skip expired records at once; the shard's trim (and its snapshot, the first
    // of the two the journal deletion below waits for) comes with its next tick.
    Thread.sleep(3_000); // three trim ticks
    assertThat(clients[0].blocking().describeStream(DescribeStreamRequest.newBuilder()
        .setStreamName("expiring").build()).getStreamDescription().getRetentionPeriodHours())
        .isEqualTo(24);
    // AWS: a timestamp before the trim horizon starts at the oldest record kept; so does a
    // sequence number of a trimmed record here (AWS documents nothing for it).
    assertThat(clients[1].readShardZero(GetShardIteratorRequest.newBuilder()
        .setStreamName("expiring")
        .setShardIteratorType("AT_TIMESTAMP").setTimestamp((t0 - 3_600_000) / 1000.0)))
        .isEqualTo(bc);
    assertThat(clients[2].readShardZero(GetShardIteratorRequest.newBuilder()
        .setStreamName("expiring")
        .setShardIteratorType("AT_SEQUENCE_NUMBER").setStartingSequenceNumber(a.get(3))))
        .isEqualTo(bc);
    assertThat(clients[0].readShardZero(GetShardIteratorRequest.newBuilder()
        .setStreamName("expiring")
        .setShardIteratorType("AFTER_SEQUENCE_NUMBER").setStartingSequenceNumber(a.get(19))))
        .isEqualTo(bc);
    assertThatThrownBy(() -> clients[0].blocking().getRecords(GetRecordsRequest.newBuilder()
        .setShardIterator(early).build()))
        .as("an iterator older than 5 minutes").isInstanceOfSatisfying(
            StatusRuntimeException.class, e -> {
              assertThat(SqsTestClient.awsCode(e)).isEqualTo("ExpiredIteratorException");
            });

    // The b- records expire too; the second trim's snapshot lets the journal before the c-
    // records go (deletion waits for two snapshots past it).
    clock.advance(HOUR.multipliedBy(2)); // t0 + 26.5 h
    List<String> c = abc.subList(25, 30);
    assertThat(eventually(() -> clients[1].fromTrimHorizon("expiring"), c::equals))
        .isEqualTo(c);
    assertThat(eventually(() -> {
      try {
        return liveRows(pid, lastAOrB);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, n -> n == 0)).as("journal rows of expired records").isZero();
    assertThat(rows(pid, lastAOrB)).as("at most the last deleted one stays, marked")
        .isLessThanOrEqualTo(1);
    assertThat(events(pid)).as("what a reader of the journal finds").noneMatch(e ->
        e.event() instanceof ShardEvent.RecordsPut p && p.firstRecordNumber() < 25);

    // The shard's node leaves: the shard recovers elsewhere without the deleted events,
    // takes and serves new records; then the node comes back and the shard with it.
    String entityId = pid.substring("KinesisShard|".length());
    int leader = cluster.leaderOf(0, "KinesisShard", entityId).orElseThrow();
    int other = (leader + 1) % 3;
    cluster.stop(leader);
    clients[leader].close();
    assertThat(eventually(() -> clients[other].fromTrimHorizon("expiring"), c::equals))
        .as("read once the shard recovered on another node").isEqualTo(c);
    put(clients[other], "expiring", "d-", 3);
    List<String> d = new ArrayList<>(c);
    d.addAll(names("d-", 3));
    assertThat(clients[other].fromTrimHorizon("expiring")).isEqualTo(d);
    cluster.restart(leader);
    clients[leader] = client(leader);
    put(clients[leader], "expiring", "e-", 2);
    List<String> expected = new ArrayList<>(d);
    expected.addAll(names("e-", 2));
    assertThat(eventually(() -> clients[leader].fromTrimHorizon("expiring"),
        expected::equals)).isEqualTo(expected);
    assertThat(liveRows(pid, lastAOrB)).isZero();
  }

  @Test
  void deleteStreamDeletesItsShardsJournalsAndSnapshots() throws Exception {
    create("doomed", 2);
    put(clients[0], "doomed", "x-", 10);
    List<String> pids = shardJournals("doomed");
    assertThat(pids).hasSize(2);
    assertThat(liveRows(pids.get(0), Long.MAX_VALUE)).isGreaterThan(10);
    clients[1].blocking().deleteStream(DeleteStreamRequest.newBuilder()
        .setStreamName("doomed").build());
    for (String pid : pids) {
      assertThat(eventually(() -> {
        try {
          return liveRows(pid, Long.MAX_VALUE) + snapshots(pid);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, n -> n == 0)).as("rows and snapshots of " + pid).isZero();
      assertThat(rows(pid, Long.MAX_VALUE)).isLessThanOrEqualTo(1);
    }
    assertThatThrownBy(() -> clients[2].blocking().describeStream(DescribeStreamRequest
        .newBuilder().setStreamName("doomed").build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(SqsTestClient.awsCode(e)).isEqualTo("ResourceNotFoundException");
        });
    // The name again: a new stream, none of the old records.
    create("doomed", 1);
    assertThat(clients[2].fromTrimHorizon("doomed")).isEmpty();
  }
}
