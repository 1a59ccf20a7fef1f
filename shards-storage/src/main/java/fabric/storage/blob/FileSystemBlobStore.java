package fabric.storage.blob;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import fabric.core.blob.BlobId;
import fabric.core.blob.BlobNotFoundException;
import fabric.core.blob.BlobReader;
import fabric.core.blob.BlobRef;
import fabric.core.blob.BlobStore;
import fabric.core.blob.BlobWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Blobs as files: {@code <root>/<first 2 hex chars of id>/<id>.data} holds the chunks back to
 * back, {@code <id>.manifest} the size, MD5 and per-chunk CRC32C. Both are written under
 * temporary names and renamed at commit; the manifest is renamed last, so its presence is
 * what "committed" means. Holds no mutable state, hence thread-safe.
 */
public final class FileSystemBlobStore implements BlobStore {

  public static final int DEFAULT_CHUNK_SIZE_BYTES = 1 << 20;
  private static final String TMP_SUFFIX = ".tmp";

  private final Path root;
  private final int chunkSizeBytes;
  private final boolean fsync;

  public FileSystemBlobStore(Path root) {
    this(root, DEFAULT_CHUNK_SIZE_BYTES, true);
  }

  /**
   * @param fsync force data, manifest and directory to disk before commit returns; turning it
   *     off trades crash durability for latency (tests, benchmarks, replicated setups)
   */
  public FileSystemBlobStore(Path root, int chunkSizeBytes, boolean fsync) {
    if (chunkSizeBytes <= 0) {
      throw new IllegalArgumentException("chunk size must be positive: " + chunkSizeBytes);
    }
    this.root = root;
    this.chunkSizeBytes = chunkSizeBytes;
    this.fsync = fsync;
    // All 256 fan-out directories up front: commits then never create (and fsync) a parent.
    try {
      Files.createDirectories(root);
      for (int i = 0; i < 256; i++) {
        Files.createDirectories(root.resolve(String.format("%02x", i)));
      }
      if (fsync) {
        syncDirectory(root);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare blob directory " + root, e);
    }
  }

  @Override
  public BlobWriter create(BlobId id) {
    Path dir = directoryOf(id);
    // Ids are random UUIDs, so this only catches a caller reusing one by mistake.
    if (Files.exists(dir.resolve(id.value() + ".manifest"))) {
      throw new IllegalStateException("blob " + id.value() + " already exists");
    }
    try {
      Files.createDirectories(dir);
      return new FsWriter(id, dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create blob " + id.value(), e);
    }
  }

  @Override
  public BlobReader open(BlobRef ref, long offsetBytes, long lengthBytes) {
    ChunkManifest.checkRange(ref, offsetBytes, lengthBytes);
    Path dir = directoryOf(ref.id());
    ChunkManifest manifest;
    try {
      manifest = ChunkManifest.decode(ref.id(),
          Files.readAllBytes(dir.resolve(ref.id().value() + ".manifest")));
    } catch (NoSuchFileException e) {
      throw new BlobNotFoundException("blob " + ref.id().value() + " not found");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read manifest of blob " + ref.id().value(), e);
    }
    manifest.checkMatches(ref);
    try {
      FileChannel data = FileChannel.open(dir.resolve(ref.id().value() + ".data"), READ);
      return new FsReader(ref.id(), manifest, offsetBytes, lengthBytes, data, chunkSizeBytes);
    } catch (NoSuchFileException e) {
      // delete() removes the manifest first: we raced with it.
      throw new BlobNotFoundException("blob " + ref.id().value() + " deleted while opening");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open blob " + ref.id().value(), e);
    }
  }

  @Override
  public void delete(BlobId id) {
    Path dir = directoryOf(id);
    try {
      // Manifest first: the blob disappears atomically; open readers keep their descriptor.
      boolean existed = Files.deleteIfExists(dir.resolve(id.value() + ".manifest"));
      existed |= Files.deleteIfExists(dir.resolve(id.value() + ".data"));
      if (existed && fsync) {
        syncDirectory(dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete blob " + id.value(), e);
    }
  }

  /**
   * Deletes temporary files of uploads that a crash left behind. Only files older than
   * {@code olderThan} are touched, so uploads still in progress survive.
   */
  public int deleteStaleTemporaryFiles(Duration olderThan) {
    FileTime cutoff = FileTime.from(Instant.now().minus(olderThan));
    int deleted = 0;
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path dir : (Iterable<Path>) dirs.filter(Files::isDirectory)::iterator) {
        try (Stream<Path> files = Files.list(dir)) {
          for (Path file : (Iterable<Path>) files::iterator) {
            if (file.getFileName().toString().endsWith(TMP_SUFFIX)
                && Files.getLastModifiedTime(file).compareTo(cutoff) < 0
                && Files.deleteIfExists(file)) {
              deleted++;
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot sweep " + root, e);
    }
    return deleted;
  }

  @Override
  public int chunkSizeBytes() {
    return chunkSizeBytes;
  }

  /** Nothing to release: every reader and writer owns its own file handles. */
  @Override
  public void close() {}

  Path directoryOf(BlobId id) {
    return root.resolve(id.value().substring(0, 2));
  }

  /** Makes renames and unlinks in {@code dir} durable; Linux allows fsync on a directory. */
  private static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, READ)) {
      channel.force(true);
    }
  }

  private static void writeFully(FileChannel channel, ByteBuffer bytes) throws IOException {
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
  }

  private final class FsWriter extends ChunkedWriter {
    private final Path dir;
    private final Path dataTmp;
    private final Path manifestTmp;
    private final FileChannel data;
    private boolean dataRenamed;
    private boolean manifestRenamed;

    FsWriter(BlobId id, Path dir) throws IOException {
      super(id, FileSystemBlobStore.this.chunkSizeBytes);
      this.dir = dir;
      // A per-writer nonce keeps two writers of the same id from sharing temporary files.
      String tmp = id.value() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong());
      this.dataTmp = dir.resolve(tmp + ".data" + TMP_SUFFIX);
      this.manifestTmp = dir.resolve(tmp + ".manifest" + TMP_SUFFIX);
      this.data = FileChannel.open(dataTmp, CREATE_NEW, WRITE);
    }

    @Override
    protected void writeChunk(int index, byte[] bytes, int length, int crc32c) {
      try {
        writeFully(data, ByteBuffer.wrap(bytes, 0, length));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write blob " + id.value() + " chunk " + index, e);
      }
    }

    @Override
    protected void persist(ChunkManifest manifest) {
      try {
        if (fsync) {
          data.force(true);
        }
        data.close();
        try (FileChannel out = FileChannel.open(manifestTmp, CREATE_NEW, WRITE)) {
          writeFully(out, ByteBuffer.wrap(manifest.encode()));
          if (fsync) {
            out.force(true);
          }
        }
        Files.move(dataTmp, dir.resolve(id.value() + ".data"), ATOMIC_MOVE);
        dataRenamed = true;
        // The commit point. One directory sync covers both renames because ext4 and xfs
        // journal metadata in order: a crash cannot keep this rename and lose the one above.
        Files.move(manifestTmp, dir.resolve(id.value() + ".manifest"), ATOMIC_MOVE);
        manifestRenamed = true;
        if (fsync) {
          syncDirectory(dir);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot commit blob " + id.value(), e);
      }
    }

    @Override
    protected void discard(int chunksStarted) {
      try {
        data.close();
        if (manifestRenamed) {
          Files.deleteIfExists(dir.resolve(id.value() + ".manifest"));
        }
        if (dataRenamed) {
          Files.deleteIfExists(dir.resolve(id.value() + ".data"));
        }
        Files.deleteIfExists(manifestTmp);
        Files.deleteIfExists(dataTmp);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot clean up blob " + id.value(), e);
      }
    }
  }

  private static final class FsReader extends ChunkedReader {
    private final FileChannel data;
    private final long chunkSizeBytes;
    private ByteBuffer buffer;

    FsReader(BlobId id, ChunkManifest manifest, long offset, long length, FileChannel data,
        int maxPieceBytes) {
      super(id, manifest, offset, length, maxPieceBytes);
      this.data = data;
      this.chunkSizeBytes = manifest.chunkSizeBytes();
    }

    @Override
    protected ByteBuffer readChunk(int index, int expectedLength) {
      if (buffer == null || buffer.capacity() < expectedLength) {
        buffer = ByteBuffer.allocate(expectedLength);
      }
      buffer.clear().limit(expectedLength);
      long position = index * chunkSizeBytes;
      try {
        while (buffer.hasRemaining()) {
          int n = data.read(buffer, position + buffer.position());
          if (n < 0) {
            break; // truncated file: the length check reports it as corruption
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read blob " + id.value() + " chunk " + index, e);
      }
      return buffer.flip();
    }

    @Override
    protected void release() {
      try {
        data.close();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot close blob " + id.value(), e);
      }
    }
  }
}
