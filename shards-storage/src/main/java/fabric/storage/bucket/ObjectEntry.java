package fabric.storage.bucket;

import fabric.core.blob.BlobRef;
import fabric.core.serialization.CborSerializable;
import java.time.Instant;
import java.util.Map;

/**
 * Everything the bucket knows about one object: metadata and where its bytes are. The bytes
 * themselves live in the blob store.
 */
public record ObjectEntry(
    String key,
    BlobRef blob,
    String contentType,
    Map<String, String> metadata,
    StorageClass storageClass,
    Instant lastModified) implements CborSerializable {

  public long size() {
    return blob.sizeBytes();
  }

  /** S3's ETag for a single-part upload: the quoted hex MD5 of the content. */
  public String eTag() {
    return "\"" + blob.md5Hex() + "\"";
  }
}
