package fabric.storage.blob;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import fabric.core.blob.BlobCorruptedException;
import fabric.core.blob.BlobId;
import fabric.core.blob.BlobNotFoundException;
import fabric.core.blob.BlobReader;
import fabric.core.blob.BlobRef;
import fabric.core.blob.BlobStore;
import fabric.core.blob.BlobWriter;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * Blobs in Cassandra: one row per chunk plus one manifest row, written last at commit, whose
 * presence is what "committed" means. Durable means acknowledged by {@code consistency}
 * replicas; with Cassandra's default periodic commit-log sync that is replication, not fsync.
 * The session belongs to the caller; store, prepared statements and session are thread-safe.
 */
public final class CassandraBlobStore implements BlobStore {

  public static final int DEFAULT_CHUNK_SIZE_BYTES = 1 << 20;
  public static final int DEFAULT_MAX_IN_FLIGHT_CHUNK_WRITES = 4;
  /** Cassandra rejects mutations over half a commit-log segment (16 MiB by default). */
  public static final int MAX_CHUNK_SIZE_BYTES = 8 << 20;
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private final CqlSession session;
  private final int chunkSizeBytes;
  private final ConsistencyLevel consistency;
  private final int maxInFlight;
  private final PreparedStatement insertChunk;
  private final PreparedStatement selectChunk;
  private final PreparedStatement deleteChunk;
  private final PreparedStatement insertManifest;
  private final PreparedStatement selectManifest;
  private final PreparedStatement deleteManifest;

  public CassandraBlobStore(CqlSession session, String keyspace) {
    this(session, keyspace, DEFAULT_CHUNK_SIZE_BYTES, DefaultConsistencyLevel.QUORUM,
        DEFAULT_MAX_IN_FLIGHT_CHUNK_WRITES);
  }

  /**
   * @param consistency for reads and writes alike, so that QUORUM reads see QUORUM writes;
   *     ONE or LOCAL_ONE only for single-node setups
   */
  public CassandraBlobStore(CqlSession session, String keyspace, int chunkSizeBytes,
      ConsistencyLevel consistency, int maxInFlightChunkWrites) {
    if (chunkSizeBytes <= 0 || chunkSizeBytes > MAX_CHUNK_SIZE_BYTES) {
      throw new IllegalArgumentException("chunk size must be in (0, " + MAX_CHUNK_SIZE_BYTES
          + "]: " + chunkSizeBytes);
    }
    if (maxInFlightChunkWrites <= 0) {
      throw new IllegalArgumentException("in-flight writes must be positive");
    }
    this.session = session;
    this.chunkSizeBytes = chunkSizeBytes;
    this.consistency = consistency;
    this.maxInFlight = maxInFlightChunkWrites;
    String ks = CqlIdentifier.fromInternal(keyspace).asCql(true);
    // Partitioned by (blob_id, chunk_index), not by blob_id with the index clustering: a
    // 5 GiB blob would be one 5 GiB partition, far past the ~100 MB where compaction, repair
    // and reads suffer. One chunk per partition also spreads a blob over the whole ring, so
    // its chunks are written and read by all nodes in parallel. The cost: there is no
    // "all chunks of a blob" query, so deletes go chunk by chunk using the manifest's count.
    session.execute("CREATE TABLE IF NOT EXISTS " + ks + ".blob_chunks ("
        + "blob_id text, chunk_index int, data blob, PRIMARY KEY ((blob_id, chunk_index)))");
    // Text, not uuid: BlobId only promises 36 characters of [0-9a-f-], which uuid may reject.
    session.execute("CREATE TABLE IF NOT EXISTS " + ks + ".blob_manifests ("
        + "blob_id text PRIMARY KEY, size_bytes bigint, chunk_size int, md5 text, crcs blob)");
    insertChunk = session.prepare("INSERT INTO " + ks
        + ".blob_chunks (blob_id, chunk_index, data) VALUES (?, ?, ?)");
    selectChunk = session.prepare("SELECT data FROM " + ks
        + ".blob_chunks WHERE blob_id = ? AND chunk_index = ?");
    deleteChunk = session.prepare("DELETE FROM " + ks
        + ".blob_chunks WHERE blob_id = ? AND chunk_index = ?");
    insertManifest = session.prepare("INSERT INTO " + ks
        + ".blob_manifests (blob_id, size_bytes, chunk_size, md5, crcs) VALUES (?, ?, ?, ?, ?)");
    selectManifest = session.prepare("SELECT size_bytes, chunk_size, md5, crcs FROM " + ks
        + ".blob_manifests WHERE blob_id = ?");
    deleteManifest = session.prepare("DELETE FROM " + ks + ".blob_manifests WHERE blob_id = ?");
  }

  /**
   * Creates the keyspace unless it exists, e.g. with
   * {@code Map.of("class", "NetworkTopologyStrategy", "dc1", "3")}. Replication is the
   * deployment's decision, which is why the store itself never creates a keyspace.
   */
  public static void createKeyspaceIfMissing(CqlSession session, String keyspace,
      Map<String, String> replication) {
    String map = replication.entrySet().stream()
        .map(e -> quote(e.getKey()) + ": " + quote(e.getValue()))
        .collect(Collectors.joining(", ", "{", "}"));
    session.execute("CREATE KEYSPACE IF NOT EXISTS "
        + CqlIdentifier.fromInternal(keyspace).asCql(true) + " WITH replication = " + map);
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  @Override
  public BlobWriter create(BlobId id) {
    return new CassandraWriter(id);
  }

  @Override
  public BlobReader open(BlobRef ref, long offsetBytes, long lengthBytes) {
    ChunkManifest.checkRange(ref, offsetBytes, lengthBytes);
    ChunkManifest manifest = readManifest(ref.id());
    if (manifest == null) {
      throw new BlobNotFoundException("blob " + ref.id().value() + " not found");
    }
    manifest.checkMatches(ref);
    return new CassandraReader(ref.id(), manifest, offsetBytes, lengthBytes);
  }

  @Override
  public void delete(BlobId id) {
    ChunkManifest manifest = readManifest(id);
    if (manifest == null) {
      return;
    }
    // Chunks before the manifest: a delete retried after a crash still finds the chunk
    // count, so nothing leaks. A reader racing the delete gets BlobNotFoundException.
    deleteChunks(id, manifest.crcs().length, true);
    session.execute(bind(deleteManifest, id.value()));
  }

  @Override
  public int chunkSizeBytes() {
    return chunkSizeBytes;
  }

  /** The session is the caller's: it is typically shared with the journal. */
  @Override
  public void close() {}

  private ChunkManifest readManifest(BlobId id) {
    Row row = session.execute(bind(selectManifest, id.value())).one();
    if (row == null) {
      return null;
    }
    ByteBuffer crcs = row.getByteBuffer("crcs");
    try {
      return new ChunkManifest(row.getLong("size_bytes"), row.getInt("chunk_size"),
          row.getString("md5"), ChunkManifest.unpackCrcs(crcs == null ? EMPTY : crcs));
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new BlobCorruptedException("blob " + id.value() + ": inconsistent manifest, " + e);
    }
  }

  private void deleteChunks(BlobId id, int count, boolean throwOnFailure) {
    InFlightLimiter deletes = new InFlightLimiter(maxInFlight);
    for (int i = 0; i < count; i++) {
      int index = i;
      deletes.submit(() -> session.executeAsync(bind(deleteChunk, id.value(), index)));
    }
    if (throwOnFailure) {
      deletes.awaitAll();
    } else {
      deletes.drain();
    }
  }

  private BoundStatement bind(PreparedStatement statement, Object... values) {
    return statement.bind(values).setConsistencyLevel(consistency);
  }

  private final class CassandraWriter extends ChunkedWriter {
    private final InFlightLimiter writes = new InFlightLimiter(maxInFlight);
    private boolean manifestAttempted;

    CassandraWriter(BlobId id) {
      super(id, CassandraBlobStore.this.chunkSizeBytes);
    }

    @Override
    protected void writeChunk(int index, byte[] bytes, int length, int crc32c) {
      // The copy is what the in-flight bound bounds: at most N chunks beyond the buffer.
      ByteBuffer copy = ByteBuffer.wrap(Arrays.copyOf(bytes, length));
      writes.submit(() -> session.executeAsync(bind(insertChunk, id.value(), index, copy)));
    }

    @Override
    protected void persist(ChunkManifest manifest) {
      writes.awaitAll();
      manifestAttempted = true; // a timed-out write may still have been applied
      session.execute(bind(insertManifest, id.value(), manifest.sizeBytes(),
          manifest.chunkSizeBytes(), manifest.md5Hex(), ChunkManifest.packCrcs(manifest.crcs())));
    }

    @Override
    protected void discard(int chunksStarted) {
      writes.drain();
      if (manifestAttempted) {
        session.execute(bind(deleteManifest, id.value()));
      }
      deleteChunks(id, chunksStarted, true);
    }
  }

  /** Reads one chunk ahead within the range: at most two chunks in memory, and no gaps. */
  private final class CassandraReader extends ChunkedReader {
    private CompletionStage<AsyncResultSet> ahead;
    private int aheadIndex = -1;

    CassandraReader(BlobId id, ChunkManifest manifest, long offset, long length) {
      super(id, manifest, offset, length, chunkSizeBytes);
    }

    @Override
    protected ByteBuffer readChunk(int index, int expectedLength) {
      CompletionStage<AsyncResultSet> current = index == aheadIndex ? ahead : fetch(index);
      ahead = null;
      aheadIndex = -1;
      if (index < lastChunkIndex()) {
        ahead = fetch(index + 1);
        aheadIndex = index + 1;
      }
      Row row;
      try {
        row = current.toCompletableFuture().join().one();
      } catch (RuntimeException e) {
        throw InFlightLimiter.unwrap(e);
      }
      if (row == null) {
        throw new BlobNotFoundException("blob " + id.value() + " chunk " + index
            + " missing: deleted while reading");
      }
      ByteBuffer data = row.getByteBuffer("data");
      return data == null ? EMPTY : data;
    }

    private CompletionStage<AsyncResultSet> fetch(int index) {
      return session.executeAsync(bind(selectChunk, id.value(), index));
    }

    @Override
    protected void release() {
      if (ahead != null) {
        ahead.toCompletableFuture().cancel(false);
        ahead = null;
      }
    }
  }
}
