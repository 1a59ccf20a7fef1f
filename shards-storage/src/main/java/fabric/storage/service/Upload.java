package fabric.storage.service;

import fabric.core.blob.BlobRef;
import fabric.core.blob.BlobWriter;
import fabric.core.error.ServiceException;
import fabric.storage.S3Errors;
import fabric.storage.bucket.ObjectEntry;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One streamed PUT: bytes go to a new blob as they arrive (memory stays at one chunk), and
 * the object appears only when {@link #complete()} has committed the blob and the bucket's
 * journal has recorded it. Not thread-safe: one caller feeds it in order.
 */
public final class Upload {
  /** S3's limit for a single PUT. */
  public static final long MAX_OBJECT_BYTES = 5L * 1024 * 1024 * 1024;

  private final S3Service service;
  private final String account;
  private final String bucket;
  private final String key;
  private final UploadAttributes attributes;
  private final BlobWriter writer;
  private boolean finished;

  Upload(S3Service service, String account, String bucket, String key,
      UploadAttributes attributes, BlobWriter writer) {
    this.service = service;
    this.account = account;
    this.bucket = bucket;
    this.key = key;
    this.attributes = attributes;
    this.writer = writer;
  }

  /** Blocking (file or network I/O): call from an I/O thread. */
  public void write(byte[] bytes, int offset, int length) {
    if (writer.sizeBytes() + length > MAX_OBJECT_BYTES) {
      abort();
      throw S3Errors.EntityTooLarge.exception("Your proposed upload exceeds the maximum "
          + "allowed object size of " + MAX_OBJECT_BYTES + " bytes for a single PUT");
    }
    writer.write(bytes, offset, length);
  }

  public long sizeBytes() {
    return writer.sizeBytes();
  }

  /**
   * Commits the blob (durable before this continues), then records the object in the bucket.
   * If the bucket refuses (no such bucket, wrong owner) the blob is deleted; if the bucket's
   * answer is unknown (timeout during failover) the blob is kept, because the object may
   * have been recorded.
   */
  public CompletionStage<ObjectEntry> complete() {
    BlobRef blob;
    try {
      blob = writer.commit();
      finished = true;
      verifyDigest(blob);
    } catch (RuntimeException e) {
      abort();
      return CompletableFuture.failedFuture(e);
    }
    ObjectEntry entry = new ObjectEntry(key, blob, attributes.contentType(),
        attributes.metadata(), attributes.storageClassOrDefault(), service.clock().instant());
    return service.putEntry(account, bucket, entry, attributes.condition())
        .whenComplete((stored, failure) -> {
      if (failure != null && !ServiceExceptions.unknownOutcome(
          ServiceExceptions.unwrap(failure))) {
        // The reply arrives on an actor thread: the (blocking) delete goes to the I/O pool.
        service.blobIo().execute(() -> service.blobs().delete(blob));
      }
    });
  }

  private void verifyDigest(BlobRef blob) {
    if (attributes.contentMd5().isEmpty()) {
      return;
    }
    String expected = HexFormat.of().formatHex(Base64.getDecoder().decode(attributes.contentMd5()));
    if (!expected.equals(blob.md5Hex())) {
      service.blobs().delete(blob);
      throw S3Errors.BadDigest.exception("The Content-MD5 you specified (" + expected
          + ") did not match what was received (" + blob.md5Hex() + ")");
    }
  }

  /** Discards the bytes written so far; safe to call more than once. */
  public void abort() {
    if (!finished) {
      finished = true;
      writer.abort();
    }
  }

}
