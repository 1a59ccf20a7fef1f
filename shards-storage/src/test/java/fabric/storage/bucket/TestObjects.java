package fabric.storage.bucket;

import fabric.core.blob.BlobId;
import fabric.core.blob.BlobRef;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

/** Builds real object entries for tests: random blob ids, true MD5s of the given content. */
final class TestObjects {
  static final int CHUNK_SIZE = 1_048_576;
  static final Instant T0 = Instant.parse("2024-06-01T12:00:00Z");

  private TestObjects() {}

  static String md5Hex(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** A committed blob of {@code content}'s UTF-8 bytes. */
  static BlobRef blob(String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    return new BlobRef(BlobId.random(), bytes.length, md5Hex(bytes), CHUNK_SIZE);
  }

  static ObjectEntry entry(String key, BlobRef blob) {
    return new ObjectEntry(key, blob, "application/octet-stream", Map.of(),
        StorageClass.STANDARD, T0);
  }

  static ObjectEntry entry(String key) {
    return entry(key, blob("content of " + key));
  }

  static ObjectIndex index(Iterable<String> keys) {
    ObjectIndex index = ObjectIndex.empty();
    for (String key : keys) {
      index = index.put(entry(key));
    }
    return index;
  }
}
