package fabric.storage.blob;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import fabric.core.blob.BlobId;
import fabric.core.blob.BlobRef;
import fabric.core.blob.BlobStore;
import fabric.core.cassandra.CassandraNodeConfig;
import fabric.core.cassandra.LocalCassandra;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract against one real Cassandra node, started once for the class. */
@Tag("cassandra")
class CassandraBlobStoreTest extends BlobStoreContract {

  private static final String KEYSPACE = "blob_test";

  @TempDir static Path dataDir;
  private static LocalCassandra node;
  private static CqlSession session;
  private static CassandraBlobStore store;

  @BeforeAll
  static void startNode() {
    node = LocalCassandra.start(CassandraNodeConfig.builder().dataDir(dataDir).build());
    session = CqlSession.builder()
        .addContactPoint(node.contactPoint())
        .withLocalDatacenter(node.localDatacenter())
        // A small test node on a busy machine can take seconds for a schema change or
        // a burst of 1 MiB writes; the 2 s default would make the test flaky, not stricter.
        .withConfigLoader(DriverConfigLoader.programmaticBuilder()
            .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
            .build())
        .build();
    CassandraBlobStore.createKeyspaceIfMissing(session, KEYSPACE,
        Map.of("class", "SimpleStrategy", "replication_factor", "1"));
    store = new CassandraBlobStore(session, KEYSPACE,
        CassandraBlobStore.DEFAULT_CHUNK_SIZE_BYTES, DefaultConsistencyLevel.ONE,
        CassandraBlobStore.DEFAULT_MAX_IN_FLIGHT_CHUNK_WRITES);
  }

  @AfterAll
  static void stopNode() {
    try {
      if (session != null) {
        session.close();
      }
    } finally {
      if (node != null) {
        node.close();
      }
    }
  }

  @Override
  protected BlobStore store() {
    return store;
  }

  @Override
  protected void corruptChunk(BlobRef ref, int chunkIndex) {
    ByteBuffer stored = session.execute(SimpleStatement.newInstance(
            "SELECT data FROM " + KEYSPACE + ".blob_chunks WHERE blob_id = ? AND chunk_index = ?",
            ref.id().value(), chunkIndex))
        .one().getByteBuffer("data");
    byte[] bytes = new byte[stored.remaining()];
    stored.get(bytes);
    bytes[123] ^= 0x01;
    session.execute(SimpleStatement.newInstance(
        "UPDATE " + KEYSPACE + ".blob_chunks SET data = ? WHERE blob_id = ? AND chunk_index = ?",
        ByteBuffer.wrap(bytes), ref.id().value(), chunkIndex));
  }

  @Override
  protected boolean hasTraces(BlobId id) {
    boolean manifest = session.execute(SimpleStatement.newInstance(
        "SELECT blob_id FROM " + KEYSPACE + ".blob_manifests WHERE blob_id = ?", id.value()))
        .one() != null;
    // Only half the partition key is known, hence a scan; fine for a test table.
    boolean chunks = session.execute(SimpleStatement.newInstance(
        "SELECT chunk_index FROM " + KEYSPACE + ".blob_chunks WHERE blob_id = ? ALLOW FILTERING",
        id.value())).one() != null;
    return manifest || chunks;
  }

  @Test
  void keyspaceHelperIsIdempotentAndStoreCreationReusesTables() {
    CassandraBlobStore.createKeyspaceIfMissing(session, KEYSPACE,
        Map.of("class", "SimpleStrategy", "replication_factor", "1"));
    CassandraBlobStore again = new CassandraBlobStore(session, KEYSPACE,
        CassandraBlobStore.DEFAULT_CHUNK_SIZE_BYTES, DefaultConsistencyLevel.LOCAL_ONE, 2);
    byte[] data = random(3 * again.chunkSizeBytes() + 1, 42);
    BlobRef ref = put(data);
    assertThat(readRange(ref, 0, data.length)).isEqualTo(data);
    CassandraBlobStore saved = store;
    store = again;
    try {
      assertThat(readRange(ref, 1, data.length - 2))
          .isEqualTo(Arrays.copyOfRange(data, 1, data.length - 1));
    } finally {
      store = saved;
    }
  }
}
