package fabric.storage.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fabric.core.blob.BlobId;
import fabric.core.blob.BlobNotFoundException;
import fabric.core.blob.BlobReader;
import fabric.core.blob.BlobRef;
import fabric.core.blob.BlobWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One Zone blobs live in their AZ's store only and say so in their reference: destroying
 * that AZ's data loses them, while regional blobs stay readable.
 */
class ZonedBlobStoreTest {
  @TempDir
  Path root;

  private ZonedBlobStore store() {
    return new ZonedBlobStore(new FileSystemBlobStore(root.resolve("regional")),
        az -> new FileSystemBlobStore(root.resolve("zones").resolve(az)));
  }

  @Test
  void oneZoneBlobsAreStampedWithTheirAzAndReadFromIt() {
    try (ZonedBlobStore store = store()) {
      BlobRef zonal = write(store.create(BlobId.random(), "us-east-1b"), "one zone");
      BlobRef regional = write(store.create(BlobId.random()), "everywhere");
      assertThat(zonal.zone()).isEqualTo("us-east-1b");
      assertThat(regional.isZonal()).isFalse();
      assertThat(read(store, zonal)).isEqualTo("one zone");
      assertThat(read(store, regional)).isEqualTo("everywhere");
      assertThat(root.resolve("zones").resolve("us-east-1b")).isNotEmptyDirectory();
    }
  }

  @Test
  void destroyingAnAzsDataLosesItsOneZoneBlobsOnly() throws Exception {
    BlobRef zonal;
    BlobRef regional;
    try (ZonedBlobStore store = store()) {
      zonal = write(store.create(BlobId.random(), "us-east-1c"), "gone with the AZ");
      regional = write(store.create(BlobId.random()), "survives");
    }
    try (var files = java.nio.file.Files.walk(root.resolve("zones").resolve("us-east-1c"))) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    try (ZonedBlobStore store = store()) {
      assertThat(read(store, regional)).isEqualTo("survives");
      BlobRef lost = zonal;
      assertThatThrownBy(() -> read(store, lost)).isInstanceOf(BlobNotFoundException.class);
    }
  }

  @Test
  void deletesFollowTheReference() {
    try (ZonedBlobStore store = store()) {
      BlobRef zonal = write(store.create(BlobId.random(), "us-east-1a"), "x");
      store.delete(zonal);
      assertThatThrownBy(() -> read(store, zonal)).isInstanceOf(BlobNotFoundException.class);
    }
  }

  private static BlobRef write(BlobWriter writer, String content) {
    writer.write(content.getBytes(StandardCharsets.UTF_8));
    return writer.commit();
  }

  private static String read(ZonedBlobStore store, BlobRef ref) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (BlobReader reader = store.open(ref, 0, ref.sizeBytes())) {
      for (byte[] chunk = reader.next(); chunk != null; chunk = reader.next()) {
        out.writeBytes(chunk);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
