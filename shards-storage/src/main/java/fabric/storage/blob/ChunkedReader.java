package fabric.storage.blob;

import fabric.core.blob.BlobCorruptedException;
import fabric.core.blob.BlobId;
import fabric.core.blob.BlobReader;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The part of a reader both stores share: which chunks a range touches, verifying each whole
 * chunk before any byte of it leaves, and cutting out the requested bytes.
 */
abstract class ChunkedReader implements BlobReader {

  protected final BlobId id;
  private final ChunkManifest manifest;
  private final long end;
  private final int maxPieceBytes;
  private final CRC32C crc = new CRC32C();
  private long position;
  private int currentIndex = -1;
  private ByteBuffer current;
  private boolean closed;

  /**
   * @param maxPieceBytes the reading store's chunk size, which bounds what {@link #next()}
   *     returns even when the blob was written with larger chunks under an older setting
   */
  protected ChunkedReader(BlobId id, ChunkManifest manifest, long offsetBytes, long lengthBytes,
      int maxPieceBytes) {
    this.id = id;
    this.manifest = manifest;
    this.maxPieceBytes = maxPieceBytes;
    this.position = offsetBytes;
    this.end = offsetBytes + lengthBytes;
  }

  /**
   * The stored bytes of chunk {@code index} between position and limit; may be a reused
   * buffer. A short or long result is reported as corruption by the caller.
   */
  protected abstract ByteBuffer readChunk(int index, int expectedLength);

  /** Index of the last chunk the range needs, so implementations can read ahead within it. */
  protected final int lastChunkIndex() {
    return end == 0 ? -1 : (int) ((end - 1) / manifest.chunkSizeBytes());
  }

  @Override
  public final byte[] next() {
    if (closed) {
      throw new IllegalStateException("reader for blob " + id.value() + " is closed");
    }
    if (position >= end) {
      return null;
    }
    int chunkSize = manifest.chunkSizeBytes();
    int index = (int) (position / chunkSize);
    long chunkStart = (long) index * chunkSize;
    int chunkLength = (int) Math.min(chunkSize, manifest.sizeBytes() - chunkStart);
    if (index != currentIndex) {
      current = verified(index, readChunk(index, chunkLength), chunkLength);
      currentIndex = index;
    }
    int from = (int) (position - chunkStart);
    long pieceEnd = Math.min(Math.min(end, chunkStart + chunkLength), position + maxPieceBytes);
    byte[] piece = new byte[(int) (pieceEnd - position)];
    current.duplicate().position(current.position() + from).get(piece);
    position = pieceEnd;
    return piece;
  }

  private ByteBuffer verified(int index, ByteBuffer chunk, int chunkLength) {
    if (chunk.remaining() != chunkLength) {
      throw new BlobCorruptedException("blob " + id.value() + " chunk " + index + ": "
          + chunk.remaining() + " bytes stored, " + chunkLength + " expected");
    }
    crc.reset();
    crc.update(chunk.duplicate());
    if ((int) crc.getValue() != manifest.crcs()[index]) {
      throw new BlobCorruptedException("blob " + id.value() + " chunk " + index
          + ": CRC32C mismatch");
    }
    return chunk;
  }

  @Override
  public final void close() {
    if (!closed) {
      closed = true;
      current = null;
      release();
    }
  }

  protected abstract void release();
}
