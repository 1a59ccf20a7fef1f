package fabric.queue.message;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * MD5OfMessageBody and MD5OfMessageAttributes exactly as SQS computes them (the AWS SDKs
 * recompute both and reject a mismatch). Attributes: sorted by name; for each, the name,
 * the data type and the value, each as a 4-byte big-endian length and its bytes, with a
 * transport byte between type and value (1 = string, for String and Number; 2 = binary).
 */
public final class MessageDigests {
  private static final byte STRING_TRANSPORT = 1;
  private static final byte BINARY_TRANSPORT = 2;

  private MessageDigests() {}

  public static String md5OfBody(String body) {
    return HexFormat.of().formatHex(md5().digest(body.getBytes(StandardCharsets.UTF_8)));
  }

  /** FIFO content-based deduplication: the SHA-256 of the body, as hex. */
  public static String sha256OfBody(String body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(body.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  /** Null for no attributes: SQS then omits MD5OfMessageAttributes. */
  public static String md5OfAttributes(Map<String, MessageAttribute> attributes) {
    if (attributes == null || attributes.isEmpty()) {
      return null;
    }
    MessageDigest md5 = md5();
    for (Map.Entry<String, MessageAttribute> e : new TreeMap<>(attributes).entrySet()) {
      MessageAttribute a = e.getValue();
      lengthAndBytes(md5, e.getKey().getBytes(StandardCharsets.UTF_8));
      lengthAndBytes(md5, a.dataType().getBytes(StandardCharsets.UTF_8));
      if (a.isBinary()) {
        md5.update(BINARY_TRANSPORT);
        lengthAndBytes(md5, a.binaryValue());
      } else {
        md5.update(STRING_TRANSPORT);
        lengthAndBytes(md5, a.stringValue().getBytes(StandardCharsets.UTF_8));
      }
    }
    return HexFormat.of().formatHex(md5.digest());
  }

  private static void lengthAndBytes(MessageDigest md5, byte[] bytes) {
    md5.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
    md5.update(bytes);
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no MD5", e);
    }
  }
}
