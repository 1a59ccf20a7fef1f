package fabric.storage.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fabric.core.blob.BlobCorruptedException;
import fabric.core.blob.BlobId;
import fabric.core.blob.BlobNotFoundException;
import fabric.core.blob.BlobReader;
import fabric.core.blob.BlobRef;
import fabric.core.blob.BlobStore;
import fabric.core.blob.BlobWriter;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What every {@link BlobStore} must do; a subclass supplies the store and its failure modes. */
abstract class BlobStoreContract {

  protected abstract BlobStore store();

  /** Changes stored bytes of one chunk behind the store's back, keeping its length. */
  protected abstract void corruptChunk(BlobRef ref, int chunkIndex) throws Exception;

  /** Whether anything of the blob, committed or not, is still stored. */
  protected abstract boolean hasTraces(BlobId id) throws Exception;

  private int chunk() {
    return store().chunkSizeBytes();
  }

  @Test
  void emptyBlob() throws Exception {
    roundTrip(0);
  }

  @Test
  void oneByte() throws Exception {
    roundTrip(1);
  }

  @Test
  void exactlyOneChunk() throws Exception {
    roundTrip(chunk());
  }

  @Test
  void oneChunkPlusOneByte() throws Exception {
    roundTrip(chunk() + 1);
  }

  @Test
  void severalMebibytesOfRandomData() throws Exception {
    roundTrip(5 * chunk() + 12_345);
  }

  @Test
  void writesInOddPiecesEqualOneWrite() throws Exception {
    byte[] data = random(3 * chunk() + 7, 1);
    BlobRef ref;
    try (BlobWriter writer = store().create(BlobId.random())) {
      for (int at = 0, step = 1; at < data.length; at += step, step = step * 7 % 100_003 + 1) {
        writer.write(data, at, Math.min(step, data.length - at));
      }
      assertThat(writer.sizeBytes()).isEqualTo(data.length);
      ref = writer.commit();
    }
    assertThat(ref.md5Hex()).isEqualTo(md5(data));
    assertThat(readRange(ref, 0, data.length)).isEqualTo(data);
  }

  @Test
  void rangesReturnExactlyTheRequestedBytes() throws Exception {
    byte[] data = random(3 * chunk() + 100, 2);
    BlobRef ref = put(data);
    int c = chunk();
    long[][] ranges = {
      {0, 1}, {data.length - 1, 1}, {c - 10, 20}, {0, data.length}, {c, c}, {c + 5, 2 * c},
      {data.length, 0}, {17, 0}, {c - 1, 2 * c + 2}
    };
    for (long[] r : ranges) {
      byte[] expected = Arrays.copyOfRange(data, (int) r[0], (int) (r[0] + r[1]));
      assertThat(readRange(ref, r[0], r[1])).as("range %d+%d", r[0], r[1]).isEqualTo(expected);
    }
    assertThatThrownBy(() -> store().open(ref, data.length - 1, 2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store().open(ref, -1, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void corruptedChunkIsDetectedAndOtherChunksStillServe() throws Exception {
    byte[] data = random(3 * chunk() + 5, 3);
    BlobRef ref = put(data);
    corruptChunk(ref, 1);
    assertThatThrownBy(() -> readRange(ref, 0, data.length))
        .isInstanceOf(BlobCorruptedException.class)
        .hasMessageContaining(ref.id().value())
        .hasMessageContaining("chunk 1");
    // A range that does not touch chunk 1 never reads it.
    assertThat(readRange(ref, 0, chunk())).isEqualTo(Arrays.copyOf(data, chunk()));
    assertThat(readRange(ref, 2L * chunk(), chunk() + 5))
        .isEqualTo(Arrays.copyOfRange(data, 2 * chunk(), data.length));
    // The very last byte of chunk 1 is enough to verify (and reject) the whole chunk.
    assertThatThrownBy(() -> readRange(ref, 2L * chunk() - 1, 1))
        .isInstanceOf(BlobCorruptedException.class);
  }

  @Test
  void refThatDoesNotMatchTheStoredBlobIsRejected() throws Exception {
    BlobRef ref = put(random(10, 4));
    BlobRef wrongMd5 = new BlobRef(ref.id(), ref.sizeBytes(), md5(new byte[10]), chunk());
    assertThatThrownBy(() -> store().open(wrongMd5, 0, 10))
        .isInstanceOf(BlobCorruptedException.class);
  }

  @Test
  void unknownBlobIsNotFound() {
    BlobRef ref = new BlobRef(BlobId.random(), 10, md5(new byte[10]), chunk());
    assertThatThrownBy(() -> store().open(ref, 0, 10)).isInstanceOf(BlobNotFoundException.class);
    assertThatThrownBy(() -> store().open(ref, 0, 0)).isInstanceOf(BlobNotFoundException.class);
  }

  @Test
  void nothingIsVisibleBeforeCommit() throws Exception {
    byte[] data = random(chunk() + 3, 5);
    BlobId id = BlobId.random();
    try (BlobWriter writer = store().create(id)) {
      writer.write(data);
      BlobRef early = new BlobRef(id, data.length, md5(data), chunk());
      assertThatThrownBy(() -> store().open(early, 0, 1))
          .isInstanceOf(BlobNotFoundException.class);
      assertThat(readRange(writer.commit(), 0, data.length)).isEqualTo(data);
    }
  }

  @Test
  void abortLeavesNothing() throws Exception {
    BlobId id = BlobId.random();
    BlobWriter writer = store().create(id);
    writer.write(random(2 * chunk() + chunk() / 2, 6));
    writer.abort();
    writer.abort();
    writer.close();
    assertThat(hasTraces(id)).isFalse();
    assertThatThrownBy(() -> writer.write(new byte[1])).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(writer::commit).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closingAnUncommittedWriterAborts() throws Exception {
    BlobId id = BlobId.random();
    try (BlobWriter writer = store().create(id)) {
      writer.write(random(chunk() + 1, 7));
    }
    assertThat(hasTraces(id)).isFalse();
  }

  @Test
  void deletedBlobIsNotFoundAndDeleteIsIdempotent() throws Exception {
    byte[] data = random(2 * chunk() + 1, 8);
    BlobRef ref = put(data);
    assertThat(hasTraces(ref.id())).isTrue();
    store().delete(ref.id());
    assertThatThrownBy(() -> store().open(ref, 0, 1)).isInstanceOf(BlobNotFoundException.class);
    assertThat(hasTraces(ref.id())).isFalse();
    store().delete(ref.id());
    store().delete(BlobId.random());
  }

  @Test
  void concurrentWritersEachReadBackTheirOwnBytes() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int seed = 100 + t;
        results.add(pool.submit(() -> {
          Random sizes = new Random(seed);
          for (int i = 0; i < 3; i++) {
            byte[] data = random(sizes.nextInt(3 * chunk()), seed * 10 + i);
            BlobRef ref = put(data);
            assertThat(ref.md5Hex()).isEqualTo(md5(data));
            assertThat(readRange(ref, 0, data.length)).isEqualTo(data);
          }
          return null;
        }));
      }
      for (Future<?> result : results) {
        result.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private void roundTrip(int size) throws Exception {
    byte[] data = random(size, size);
    BlobRef ref = put(data);
    assertThat(ref.sizeBytes()).isEqualTo(size);
    assertThat(ref.chunkSizeBytes()).isEqualTo(chunk());
    assertThat(ref.md5Hex()).isEqualTo(md5(data)).matches("[0-9a-f]{32}");
    assertThat(readRange(ref, 0, size)).isEqualTo(data);
  }

  protected BlobRef put(byte[] data) {
    try (BlobWriter writer = store().create(BlobId.random())) {
      writer.write(data);
      return writer.commit();
    }
  }

  /** Reads a range, checking the reader's promises about piece sizes on the way. */
  protected byte[] readRange(BlobRef ref, long offset, long length) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (BlobReader reader = store().open(ref, offset, length)) {
      for (byte[] piece = reader.next(); piece != null; piece = reader.next()) {
        assertThat(piece.length).isBetween(1, chunk());
        out.write(piece, 0, piece.length);
      }
      assertThat(reader.next()).isNull();
    }
    return out.toByteArray();
  }

  protected static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  protected static String md5(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
