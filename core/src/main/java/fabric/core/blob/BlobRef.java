package fabric.core.blob;

import fabric.core.serialization.CborSerializable;

/**
 * What an event records about a committed blob.
 *
 * @param id         the blob
 * @param sizeBytes  total length
 * @param md5Hex     lowercase hex MD5 of the whole content (S3's ETag for a single PUT)
 * @param chunkSizeBytes the chunk size the blob was written with (readers need it to find
 *                   chunk boundaries even after the store's configured size changes)
 * @param zone       the one AZ that holds the bytes (S3 One Zone storage), or empty for
 *                   bytes replicated to every AZ of the region (events written before zones
 *                   existed read back as empty)
 */
public record BlobRef(BlobId id, long sizeBytes, String md5Hex, int chunkSizeBytes,
    String zone) implements CborSerializable {

  public BlobRef {
    zone = zone == null ? "" : zone;
  }

  /** A blob replicated to every AZ. */
  public BlobRef(BlobId id, long sizeBytes, String md5Hex, int chunkSizeBytes) {
    this(id, sizeBytes, md5Hex, chunkSizeBytes, "");
  }

  public boolean isZonal() {
    return !zone.isEmpty();
  }

  public BlobRef inZone(String az) {
    return new BlobRef(id, sizeBytes, md5Hex, chunkSizeBytes, az);
  }
}
