package fabric.core.blob;

/**
 * Reads a range of a committed blob chunk by chunk. Each chunk's checksum is verified before
 * any of its bytes are returned. Not thread-safe.
 */
public interface BlobReader extends AutoCloseable {

  /**
   * The next piece of the requested range (at most one chunk), or {@code null} when the
   * range is exhausted.
   *
   * @throws BlobCorruptedException if a chunk's checksum does not match
   */
  byte[] next();

  @Override
  void close();
}
