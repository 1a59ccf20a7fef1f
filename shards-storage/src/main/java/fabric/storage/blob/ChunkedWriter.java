package fabric.storage.blob;

import fabric.core.blob.BlobId;
import fabric.core.blob.BlobRef;
import fabric.core.blob.BlobWriter;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * The part of a writer both stores share: cutting the stream into chunks, MD5 of the whole,
 * CRC32C per chunk, and the open/committed/aborted life cycle. Subclasses only move bytes.
 */
abstract class ChunkedWriter implements BlobWriter {

  private enum State { OPEN, FAILED, COMMITTED, ABORTED }

  /** Small blobs are the common case; a full-chunk buffer for each would be mostly zeroing. */
  private static final int INITIAL_BUFFER_BYTES = 64 * 1024;

  protected final BlobId id;
  protected final int chunkSizeBytes;
  private final MessageDigest md5;
  private final CRC32C crc = new CRC32C();
  private byte[] buffer;
  private int buffered;
  private long sizeBytes;
  private int[] crcs = new int[8];
  private int chunkCount;
  private State state = State.OPEN;

  protected ChunkedWriter(BlobId id, int chunkSizeBytes) {
    this.id = Objects.requireNonNull(id);
    this.chunkSizeBytes = chunkSizeBytes;
    this.buffer = new byte[Math.min(chunkSizeBytes, INITIAL_BUFFER_BYTES)];
    try {
      this.md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK ships MD5", e);
    }
  }

  /**
   * Stores chunk {@code index}. {@code bytes} is reused once this returns, so an
   * implementation that writes asynchronously must copy it.
   */
  protected abstract void writeChunk(int index, byte[] bytes, int length, int crc32c);

  /** All chunks were handed to {@link #writeChunk}: make them and the manifest durable. */
  protected abstract void persist(ChunkManifest manifest);

  /** Removes whatever {@code chunksStarted} chunks and a possible manifest left behind. */
  protected abstract void discard(int chunksStarted);

  @Override
  public final void write(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    requireOpen();
    md5.update(bytes, offset, length);
    sizeBytes += length;
    while (length > 0) {
      if (buffered == buffer.length) {
        buffer = Arrays.copyOf(buffer, (int) Math.min(chunkSizeBytes, 2L * buffer.length));
      }
      int n = Math.min(length, buffer.length - buffered);
      System.arraycopy(bytes, offset, buffer, buffered, n);
      buffered += n;
      offset += n;
      length -= n;
      if (buffered == chunkSizeBytes) {
        flushChunk();
      }
    }
  }

  private void flushChunk() {
    crc.reset();
    crc.update(buffer, 0, buffered);
    if (chunkCount == crcs.length) {
      crcs = Arrays.copyOf(crcs, 2 * crcs.length);
    }
    crcs[chunkCount] = (int) crc.getValue();
    int index = chunkCount++;
    try {
      writeChunk(index, buffer, buffered, crcs[index]);
    } catch (RuntimeException | Error e) {
      state = State.FAILED;
      throw e;
    }
    buffered = 0;
  }

  @Override
  public final long sizeBytes() {
    return sizeBytes;
  }

  @Override
  public final BlobRef commit() {
    requireOpen();
    if (buffered > 0) {
      flushChunk();
    }
    String md5Hex = HexFormat.of().formatHex(md5.digest());
    try {
      persist(new ChunkManifest(sizeBytes, chunkSizeBytes, md5Hex,
          Arrays.copyOf(crcs, chunkCount)));
    } catch (RuntimeException | Error e) {
      state = State.FAILED;
      throw e;
    }
    state = State.COMMITTED;
    buffer = null;
    return new BlobRef(id, sizeBytes, md5Hex, chunkSizeBytes);
  }

  @Override
  public final void abort() {
    if (state == State.COMMITTED) {
      // The ref may already be in an event; only the owner of that event may delete it.
      throw new IllegalStateException("blob " + id.value() + " is committed; delete it instead");
    }
    if (state == State.ABORTED) {
      return;
    }
    state = State.ABORTED;
    buffer = null;
    discard(chunkCount);
  }

  @Override
  public final void close() {
    if (state != State.COMMITTED) {
      abort();
    }
  }

  private void requireOpen() {
    if (state != State.OPEN) {
      throw new IllegalStateException("writer for blob " + id.value() + " is " + state);
    }
  }
}
