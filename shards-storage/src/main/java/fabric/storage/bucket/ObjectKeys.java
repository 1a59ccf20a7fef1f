package fabric.storage.bucket;

import fabric.core.error.ServiceException;
import fabric.storage.S3Errors;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;

/** Object key rules and the order S3 lists keys in. */
public final class ObjectKeys {
  /** S3's limit: the key's UTF-8 encoding is at most 1024 bytes. */
  public static final int MAX_KEY_BYTES = 1024;

  /**
   * UTF-8 binary order, which S3 lists in. Comparing code points gives the same order as
   * comparing UTF-8 bytes; Java's {@code String.compareTo} compares UTF-16 units and would
   * put U+FF5E after U+1F600.
   */
  public static final Comparator<String> UTF8_BINARY_ORDER = ObjectKeys::compareUtf8;

  private ObjectKeys() {}

  /** @throws ServiceException if the key is empty, not valid Unicode, or too long */
  public static void validate(String key) {
    if (key == null || key.isEmpty()) {
      throw S3Errors.InvalidArgument.exception("object key must not be empty");
    }
    int bytes;
    try {
      bytes = StandardCharsets.UTF_8.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(CharBuffer.wrap(key)).remaining();
    } catch (CharacterCodingException e) {
      throw S3Errors.InvalidArgument.exception(
          "object key is not valid UTF-8 (it contains an unpaired surrogate)");
    }
    if (bytes > MAX_KEY_BYTES) {
      throw S3Errors.KeyTooLongError.exception(
          "Your key is too long: " + bytes + " bytes of UTF-8, the limit is " + MAX_KEY_BYTES);
    }
  }

  static int compareUtf8(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
