package fabric.storage.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fabric.core.blob.BlobCorruptedException;
import fabric.core.blob.BlobId;
import fabric.core.blob.BlobRef;
import fabric.core.blob.BlobStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FsBlobStoreTest extends BlobStoreContract {

  @TempDir Path root;
  private FileSystemBlobStore store;

  @BeforeEach
  void open() {
    store = new FileSystemBlobStore(root);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Override
  protected BlobStore store() {
    return store;
  }

  @Override
  protected void corruptChunk(BlobRef ref, int chunkIndex) throws IOException {
    Path data = store.directoryOf(ref.id()).resolve(ref.id().value() + ".data");
    try (FileChannel channel = FileChannel.open(data, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      long position = (long) chunkIndex * ref.chunkSizeBytes() + 123;
      ByteBuffer one = ByteBuffer.allocate(1);
      channel.read(one, position);
      one.put(0, (byte) (one.get(0) ^ 0x01));
      channel.write(one.rewind(), position);
    }
  }

  @Override
  protected boolean hasTraces(BlobId id) throws IOException {
    return !filesOf(id).isEmpty();
  }

  private List<String> filesOf(BlobId id) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.map(root::relativize).map(Path::toString)
          .filter(name -> name.contains(id.value())).sorted().toList();
    }
  }

  @Test
  void committedBlobIsOneDataFileAndOneManifestFannedOutByIdPrefix() throws IOException {
    BlobRef ref = put(random(3000, 1));
    String id = ref.id().value();
    String dir = id.substring(0, 2);
    assertThat(filesOf(ref.id()))
        .containsExactly(dir + "/" + id + ".data", dir + "/" + id + ".manifest");
    assertThat(Files.size(root.resolve(dir).resolve(id + ".data"))).isEqualTo(3000);
  }

  @Test
  void blobWrittenWithOtherChunkSizeIsReadableAndServedInSmallerPieces() {
    byte[] data = random(3 * store.chunkSizeBytes() + 11, 9);
    BlobRef big = put(data);
    FileSystemBlobStore saved = store;
    FileSystemBlobStore smaller = new FileSystemBlobStore(root, 256 * 1024, false);
    store = smaller; // readRange checks pieces against the reading store's chunk size
    try {
      assertThat(readRange(big, 0, data.length)).isEqualTo(data);
      assertThat(readRange(big, 300_000, 1_000_000))
          .isEqualTo(Arrays.copyOfRange(data, 300_000, 1_300_000));
      BlobRef small = put(data);
      assertThat(small.chunkSizeBytes()).isEqualTo(256 * 1024);
      store = saved;
      assertThat(readRange(small, 0, data.length)).isEqualTo(data);
    } finally {
      store = saved;
    }
  }

  @Test
  void truncatedDataFileIsCorruption() throws IOException {
    BlobRef ref = put(random(2 * store.chunkSizeBytes(), 10));
    Path data = store.directoryOf(ref.id()).resolve(ref.id().value() + ".data");
    try (FileChannel channel = FileChannel.open(data, StandardOpenOption.WRITE)) {
      channel.truncate(ref.sizeBytes() - 1);
    }
    assertThatThrownBy(() -> readRange(ref, 0, ref.sizeBytes()))
        .isInstanceOf(BlobCorruptedException.class)
        .hasMessageContaining("chunk 1");
  }

  @Test
  void staleTemporaryFilesOfACrashedUploadAreSwept() throws IOException {
    BlobId id = BlobId.random();
    var writer = store.create(id);
    writer.write(random(100, 11));
    // Simulate a crash: the writer is never closed.
    assertThat(filesOf(id)).singleElement().asString().endsWith(".data.tmp");
    assertThat(store.deleteStaleTemporaryFiles(Duration.ofHours(1))).isZero();
    assertThat(store.deleteStaleTemporaryFiles(Duration.ofMillis(-1000))).isEqualTo(1);
    assertThat(filesOf(id)).isEmpty();
    writer.close();
  }
}
