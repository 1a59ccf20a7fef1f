package fabric.storage.service;

import fabric.core.blob.BlobNotFoundException;
import fabric.core.blob.BlobReader;
import fabric.core.blob.BlobStore;
import fabric.storage.S3Errors;
import fabric.storage.bucket.ObjectEntry;

/**
 * A resolved GET: the object's metadata and the range to send. {@link #open()} streams the
 * bytes chunk by chunk, each verified against its checksum.
 */
public record Download(ObjectEntry entry, ByteRange range, BlobStore blobs) {
  /**
   * Blocking: call from an I/O thread, and close the reader. A One Zone object whose bytes
   * are gone (its AZ's data was destroyed) is MethodNotAllowed, as S3 answers for lost
   * objects; any other missing blob is a fault of ours and stays an internal error.
   */
  public BlobReader open() {
    try {
      return blobs.open(entry.blob(), range.first(), range.length());
    } catch (BlobNotFoundException e) {
      if (entry.blob().isZonal()) {
        throw S3Errors.MethodNotAllowed.exception("The object's data is lost: it was stored "
            + "in one AZ only (" + entry.storageClass() + ", " + entry.blob().zone() + ") and "
            + "that AZ's data was destroyed");
      }
      throw e;
    }
  }
}
