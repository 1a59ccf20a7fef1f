package fabric.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import fabric.core.cassandra.CassandraNodeConfig;
import fabric.core.cassandra.LocalCassandra;
import fabric.core.entity.JournalRead;
import fabric.core.entity.JournalReader;
import fabric.kinesis.shard.ShardEvent;
import fabric.kinesis.v1.CreateStreamRequest;
import fabric.kinesis.v1.DeleteStreamRequest;
import fabric.kinesis.v1.DescribeStreamRequest;
import fabric.kinesis.v1.PutRecordRequest;
import fabric.node.testing.KinesisTestClient;
import fabric.node.testing.MovableClock;
import fabric.node.testing.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention's journal deletion on the Cassandra journal (the H2 case and the gRPC behaviour
 * are in {@link KinesisRetentionTest}): expired records' events are gone from what the
 * journal answers, the shard recovers without them on another node, and DeleteStream leaves
 * its shards' journals empty.
 */
@Tag("cassandra")
class KinesisRetentionCassandraTest {
  private static final String ACCOUNT = "975397539753";
  private static final Duration HOUR = Duration.ofHours(1);
  private static final long PATIENCE_MILLIS = 60_000;

  @TempDir
  static Path cassandraDir;
  @TempDir
  static Path nodeDir;
  static LocalCassandra cassandra;
  private static final MovableClock clock = new MovableClock();
  private static TestCluster cluster;
  private static KinesisTestClient[] clients;

  @BeforeAll
  static void start() throws Exception {
    cassandra = LocalCassandra.start(CassandraNodeConfig.builder()
        .dataDir(cassandraDir).nativePort(0).storagePort(0).build());
    cluster = TestCluster.start(nodeDir, Map.of(
        "fabric.node.journal", "cassandra",
        "fabric.node.cassandra.contact-points", List.of(cassandra.contactPoint()
            .getHostString() + ":" + cassandra.contactPoint().getPort()),
        "fabric.node.cassandra.local-datacenter", cassandra.localDatacenter(),
        "fabric.node.cassandra.keyspace", "fabric_retention",
        "fabric.kinesis.trim-interval", "1s",
        "fabric.kinesis.enforce-limits", false), clock);
    clients = new KinesisTestClient[3];
    for (int i = 0; i < 3; i++) {
      clients[i] = new KinesisTestClient("127.0.0.1", cluster.node(i).grpcPort(), ACCOUNT);
    }
  }

  @AfterAll
  static void stop() {
    if (clients != null) {
      for (KinesisTestClient c : clients) {
        c.close();
      }
    }
    if (cluster != null) {
      cluster.close();
    }
    if (cassandra != null) {
      cassandra.close();
    }
  }

  private static void put(String stream, String prefix, int n) {
    for (int i = 0; i < n; i++) {
      clients[i % 3].blocking().putRecord(PutRecordRequest.newBuilder().setStreamName(stream)
          .setPartitionKey("k").setExplicitHashKey("0")
          .setData(ByteString.copyFromUtf8(prefix + i)).build());
    }
  }

  private static String shardJournal(String stream) {
    double created = clients[0].blocking().describeStream(DescribeStreamRequest.newBuilder()
        .setStreamName(stream).build()).getStreamDescription().getStreamCreationTimestamp();
    return "KinesisShard|" + ACCOUNT + "/us-east-1/" + stream + "/"
        + Math.round(created * 1000) + "/shardId-000000000000";
  }

  /** Read through a node that is up (node 0 may be the one stopped). */
  private static int reader;

  private static List<JournalRead.Event<ShardEvent>> events(String pid) throws Exception {
    return new JournalReader(cluster.node(reader).system()).<ShardEvent>read(pid,
        new JournalRead(1, 10_000)).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static long recordEvents(String pid, long belowRecord) throws Exception {
    return events(pid).stream().filter(e -> e.event() instanceof ShardEvent.RecordsPut p
        && p.firstRecordNumber() < belowRecord).count();
  }

  private static void await(String what, java.util.concurrent.Callable<Boolean> done)
      throws Exception {
    long deadline = System.currentTimeMillis() + PATIENCE_MILLIS;
    Exception last = null;
    while (System.currentTimeMillis() < deadline) {
      try {
        if (done.call()) {
          return;
        }
        last = null;
      } catch (Exception e) {
        last = e;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("not within " + PATIENCE_MILLIS + " ms: " + what, last);
  }

  @Test
  void expiredEventsAreDeletedFromCassandraAndTheShardRecoversWithoutThem() throws Exception {
    clients[0].blocking().createStream(CreateStreamRequest.newBuilder()
        .setStreamName("cass-expiring").setShardCount(1).build());
    String pid = shardJournal("cass-expiring");
    put("cass-expiring", "a-", 10);
    clock.advance(HOUR.multipliedBy(2));
    put("cass-expiring", "b-", 3);
    assertThat(recordEvents(pid, 10)).isEqualTo(10);
    clock.advance(HOUR.multipliedBy(22).plusMinutes(30)); // a- expire: a first trim snapshot
    await("a- unreadable", () -> clients[1].fromTrimHorizon("cass-expiring")
        .equals(List.of("b-0", "b-1", "b-2")));
    // Readers skip expired records at once; the trim and its snapshot (the first of the two
    // the deletion waits for) come with the shard's next tick.
    Thread.sleep(3_000); // three trim ticks
    put("cass-expiring", "c-", 2);
    clock.advance(HOUR.multipliedBy(2)); // b- expire: a second one, the deletion follows
    await("b- unreadable", () -> clients[2].fromTrimHorizon("cass-expiring")
        .equals(List.of("c-0", "c-1")));
    await("a- and b- events deleted", () -> recordEvents(pid, 13) == 0);
    assertThat(recordEvents(pid, 15)).as("the c- events stay").isEqualTo(2);

    int leader = cluster.leaderOf(0, "KinesisShard", pid.substring("KinesisShard|".length()))
        .orElseThrow();
    int other = (leader + 1) % 3;
    reader = other;
    cluster.stop(leader);
    await("recovered on another node", () -> clients[other].fromTrimHorizon("cass-expiring")
        .equals(List.of("c-0", "c-1")));
    clients[other].blocking().putRecord(PutRecordRequest.newBuilder()
        .setStreamName("cass-expiring").setPartitionKey("k").setExplicitHashKey("0")
        .setData(ByteString.copyFromUtf8("d-0")).build());
    assertThat(clients[other].fromTrimHorizon("cass-expiring"))
        .containsExactly("c-0", "c-1", "d-0");

    clients[other].blocking().deleteStream(DeleteStreamRequest.newBuilder()
        .setStreamName("cass-expiring").build());
    await("the shard's journal erased", () -> events(pid).isEmpty());
  }
}
