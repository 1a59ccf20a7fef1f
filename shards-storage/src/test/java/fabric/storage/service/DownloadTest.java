package fabric.storage.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fabric.core.blob.BlobId;
import fabric.core.blob.BlobNotFoundException;
import fabric.core.blob.BlobRef;
import fabric.core.error.ErrorCategory;
import fabric.core.error.ServiceException;
import fabric.storage.S3Errors;
import fabric.storage.blob.FileSystemBlobStore;
import fabric.storage.bucket.ObjectEntry;
import fabric.storage.bucket.StorageClass;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A GET whose bytes are gone: lost One Zone data is S3's 405, anything else our fault. */
class DownloadTest {
  @TempDir
  Path root;

  private static ObjectEntry entry(BlobRef blob, StorageClass storageClass) {
    return new ObjectEntry("k", blob, "text/plain", Map.of(), storageClass,
        Instant.parse("2026-11-25T12:00:00Z"));
  }

  @Test
  void aOneZoneObjectWhoseAzDataWasDestroyedIsMethodNotAllowedWithDataLoss() {
    BlobRef lost = new BlobRef(BlobId.random(), 5, "0".repeat(32), 1024).inZone("us-east-1a");
    try (FileSystemBlobStore store = new FileSystemBlobStore(root)) {
      Download download = new Download(entry(lost, StorageClass.ONEZONE_IA),
          ByteRange.whole(5), store);
      assertThatThrownBy(download::open)
          .isInstanceOfSatisfying(ServiceException.class, e -> {
            assertThat(e.error().code()).isEqualTo(S3Errors.MethodNotAllowed.name());
            assertThat(e.error().httpStatus()).isEqualTo(405);
            assertThat(e.error().category()).isEqualTo(ErrorCategory.DATA_LOSS);
            assertThat(e.error().message()).contains("us-east-1a").contains("ONEZONE_IA");
          });
    }
  }

  @Test
  void aMissingRegionalBlobStaysAnInternalFault() {
    BlobRef missing = new BlobRef(BlobId.random(), 5, "0".repeat(32), 1024);
    try (FileSystemBlobStore store = new FileSystemBlobStore(root)) {
      Download download = new Download(entry(missing, StorageClass.STANDARD),
          ByteRange.whole(5), store);
      assertThatThrownBy(download::open).isInstanceOf(BlobNotFoundException.class);
    }
  }
}
