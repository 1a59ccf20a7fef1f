package fabric.storage.bucket;

import fabric.storage.S3Errors;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** User-defined object metadata (x-amz-meta-*): S3 limits it to 2 KB. */
public final class UserMetadata {
  /**
   * AWS: "the user-defined metadata is limited to 2 KB in size", measured as the sum of the
   * UTF-8 bytes of every name and value.
   */
  public static final int MAX_BYTES = 2 * 1024;

  // Names travel as HTTP header names (x-amz-meta-<name>): RFC 9110 token characters.
  private static final Pattern NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9a-z-]+");

  private UserMetadata() {}

  /** Validated copy with names lowercased (HTTP header names are case-insensitive). */
  public static Map<String, String> normalize(Map<String, String> metadata) {
    Map<String, String> result = new TreeMap<>();
    int bytes = 0;
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      String name = e.getKey().toLowerCase(Locale.ROOT);
      if (!NAME.matcher(name).matches()) {
        throw S3Errors.InvalidArgument.exception(
            "metadata name '" + e.getKey() + "' is not a valid HTTP header token");
      }
      String value = e.getValue() == null ? "" : e.getValue();
      if (result.containsKey(name)) {
        throw S3Errors.InvalidArgument.exception("metadata name '" + e.getKey()
            + "' is given twice (names are case-insensitive)");
      }
      bytes += name.getBytes(StandardCharsets.UTF_8).length
          + value.getBytes(StandardCharsets.UTF_8).length;
      result.put(name, value);
    }
    if (bytes > MAX_BYTES) {
      throw S3Errors.MetadataTooLarge.exception("Your metadata headers are " + bytes
          + " bytes; user-defined metadata is limited to " + MAX_BYTES + " bytes");
    }
    return result;
  }
}
