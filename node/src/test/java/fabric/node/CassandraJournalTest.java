package fabric.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import fabric.core.cassandra.CassandraNodeConfig;
import fabric.core.epoch.LeaderEpoch;
import fabric.core.cassandra.LocalCassandra;
import fabric.node.testing.S3TestClient;
import fabric.node.testing.TestCluster;
import fabric.s3.v1.CopyObjectRequest;
import fabric.s3.v1.DeleteObjectRequest;
import fabric.s3.v1.ListObjectsV2Request;
import fabric.s3.v1.Object;
import fabric.storage.bucket.BucketDefinition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bucket and object scenarios again, with a real Cassandra (started from the Maven
 * Central jars) holding the journal, the snapshots and the object bytes. The cluster is
 * stopped and a new one started against the same Cassandra: everything is still there.
 */
@Tag("cassandra")
class CassandraJournalTest {
  private static final String ACCOUNT = "333344445555";

  @TempDir
  static Path cassandraDir;
  static LocalCassandra cassandra;

  @TempDir
  Path nodeDir;

  @BeforeAll
  static void startCassandra() {
    cassandra = LocalCassandra.start(CassandraNodeConfig.builder()
        .dataDir(cassandraDir).nativePort(0).storagePort(0).build());
  }

  @AfterAll
  static void stopCassandra() {
    if (cassandra != null) {
      cassandra.close();
    }
  }

  private TestCluster startCluster() throws Exception {
    String contactPoint = cassandra.contactPoint().getHostString() + ":"
        + cassandra.contactPoint().getPort();
    return TestCluster.start(nodeDir, Map.of(
        "fabric.node.journal", "cassandra",
        "fabric.node.cassandra.contact-points", List.of(contactPoint),
        "fabric.node.cassandra.local-datacenter", cassandra.localDatacenter(),
        "fabric.node.cassandra.keyspace", "fabric_test"));
  }

  @Test
  void bucketsAndObjectsLiveInCassandraAcrossFailoverAndRestart() throws Exception {
    Random random = new Random(3);
    byte[] big = new byte[5 * 1024 * 1024 + 11];
    random.nextBytes(big);
    byte[] small = "hello cassandra".getBytes();
    try (TestCluster cluster = startCluster(); S3TestClient client = cluster.client(0, ACCOUNT)) {
      client.createBucket("cass-bucket");
      client.put("cass-bucket", "big.bin", big);
      client.put("cass-bucket", "small.txt", small, "text/plain", Map.of("colour", "blue"));
      client.put("cass-bucket", "gone", new byte[] {9});
      client.blocking().deleteObject(DeleteObjectRequest.newBuilder()
          .setBucket("cass-bucket").setKey("gone").build());
      client.blocking().copyObject(CopyObjectRequest.newBuilder().setBucket("cass-bucket")
          .setKey("copy.txt").setCopySource("cass-bucket/small.txt").build());

      assertThat(client.get("cass-bucket", "big.bin")).isEqualTo(big);
      assertThat(S3TestClient.get(client.blocking(), "cass-bucket", "big.bin",
          "bytes=1048570-1048580")).isEqualTo(java.util.Arrays.copyOfRange(big, 1048570, 1048581));
      assertListing(client);

      int leader = cluster.leaderOf(0, BucketDefinition.TYPE_KEY.name(), "cass-bucket")
          .orElseThrow();
      int survivor = (leader + 1) % cluster.size();
      cluster.crash(leader);
      try (S3TestClient other = cluster.client(survivor, ACCOUNT)) {
        assertThat(S3TestClient.retryWhileUnavailable(() -> S3TestClient.get(
            other.blocking(2_000), "cass-bucket", "small.txt", ""), Duration.ofMinutes(2)))
            .isEqualTo(small);
        assertThat(other.get("cass-bucket", "big.bin")).isEqualTo(big);
      }
    }

    try (TestCluster cluster = startCluster(); S3TestClient client = cluster.client(2, ACCOUNT)) {
      // A cold cluster's first call allocates the shard and replays it from Cassandra.
      S3TestClient.retryWhileUnavailable(() -> listKeys(client), Duration.ofMinutes(1));
      assertListing(client);
      assertThat(client.get("cass-bucket", "big.bin")).isEqualTo(big);
      assertThat(client.get("cass-bucket", "copy.txt")).isEqualTo(small);
    }
  }

  private static void assertListing(S3TestClient client) {
    assertThat(listKeys(client)).containsExactly("big.bin", "copy.txt", "small.txt");
  }

  private static List<String> listKeys(S3TestClient client) {
    return client.blocking().listObjectsV2(ListObjectsV2Request.newBuilder()
        .setBucket("cass-bucket").build()).getContentsList().stream().map(Object::getKey).toList();
  }

  @Test
  void ofTwoClaimsOfOneLeaderEpochInCassandraOnlyOneWins() {
    Duration ddl = Duration.ofSeconds(60);
    try (CqlSession session = CqlSession.builder().addContactPoint(cassandra.contactPoint())
        .withLocalDatacenter(cassandra.localDatacenter()).build()) {
      session.execute(SimpleStatement.newInstance("CREATE KEYSPACE IF NOT EXISTS epochs_test "
          + "WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
          .setTimeout(ddl));
      session.execute(SimpleStatement.newInstance(
          CassandraLeaderEpochStore.createTable("epochs_test")).setTimeout(ddl));
      var store = new CassandraLeaderEpochStore(session, "epochs_test", Duration.ofSeconds(10));
      assertThat(store.claim("Bucket|a", new LeaderEpoch(1, 1, "node-1"))
          .toCompletableFuture().join()).isTrue();
      assertThat(store.claim("Bucket|a", new LeaderEpoch(1, 4, "node-2"))
          .toCompletableFuture().join()).isFalse();
      assertThat(store.claim("Bucket|a", new LeaderEpoch(2, 4, "node-2"))
          .toCompletableFuture().join()).isTrue();
      assertThat(store.load("Bucket|a").toCompletableFuture().join().epochs()).containsExactly(
          new LeaderEpoch(1, 1, "node-1"), new LeaderEpoch(2, 4, "node-2"));
      assertThat(store.load("Bucket|none").toCompletableFuture().join().epochs()).isEmpty();
    }
  }
}
