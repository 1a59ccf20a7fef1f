package fabric.core.blob;

/**
 * Streams one blob into the store. Not thread-safe: one writer per upload. Memory use is
 * bounded by one chunk, whatever the blob's size.
 */
public interface BlobWriter extends AutoCloseable {

  /** Appends bytes; full chunks are written out as they fill. */
  void write(byte[] bytes, int offset, int length);

  default void write(byte[] bytes) {
    write(bytes, 0, bytes.length);
  }

  /** Bytes written so far. */
  long sizeBytes();

  /**
   * Writes the last chunk and the blob's manifest and makes them durable (fsync or a quorum
   * write) before returning: a blob is acknowledged only once it would survive a crash.
   */
  BlobRef commit();

  /** Discards everything written; safe to call after a failure or twice. */
  void abort();

  /** Aborts unless committed. */
  @Override
  void close();
}
