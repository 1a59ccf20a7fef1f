package fabric.core.blob;

/**
 * Where object bytes live. Bytes never go into the journal: an entity's event records only
 * the {@link BlobRef} that {@link BlobWriter#commit()} returned.
 *
 * <p>Every implementation splits a blob into chunks of at most {@link #chunkSizeBytes()} and
 * stores a CRC32C per chunk, verified on every read ({@link BlobCorruptedException} on a
 * mismatch). A blob is immutable once committed. All methods block the calling thread:
 * call them from an I/O executor, never from an actor.
 */
public interface BlobStore extends AutoCloseable {

  /** Starts a new blob. Nothing is visible to readers until {@link BlobWriter#commit()}. */
  BlobWriter create(BlobId id);

  /**
   * Opens {@code lengthBytes} bytes of a committed blob starting at {@code offsetBytes}.
   *
   * @throws BlobNotFoundException if the blob does not exist (never committed or deleted)
   */
  BlobReader open(BlobRef ref, long offsetBytes, long lengthBytes);

  /**
   * Starts a new blob whose bytes live in AZ {@code zone} only (S3 One Zone storage). A store
   * without zones keeps it with every other blob.
   */
  default BlobWriter create(BlobId id, String zone) {
    return create(id);
  }

  /** Deletes a blob; deleting a missing blob is not an error (deletes are retried). */
  void delete(BlobId id);

  /** Deletes a committed blob wherever its reference says it lives. */
  default void delete(BlobRef ref) {
    delete(ref.id());
  }

  /** The largest chunk this store writes; readers receive chunks of at most this size. */
  int chunkSizeBytes();

  @Override
  void close();
}
