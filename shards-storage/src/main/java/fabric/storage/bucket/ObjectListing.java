package fabric.storage.bucket;

import fabric.storage.S3Errors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * ListObjectsV2 over an {@link ObjectIndex}: seeks to the start and walks forward, so a page
 * costs O(page × log n) however many keys the bucket holds. Keys under a common prefix are
 * skipped with one seek, not one by one.
 */
public final class ObjectListing {
  // The largest code point: a key that starts with p sorts before p + MAX, except keys that
  // continue with MAX itself, which the walk steps over one by one.
  private static final String MAX_CODE_POINT = new String(Character.toChars(0x10FFFF));
  private static final char KEY_TOKEN = 'k';
  private static final char PREFIX_TOKEN = 'p';

  private ObjectListing() {}

  public static ListPage list(ObjectIndex index, ListQuery q) {
    String cursor = "";
    boolean inclusive = true;
    String skipPrefix = null;
    if (!q.continuationToken().isEmpty()) {
      String decoded = decode(q.continuationToken());
      cursor = decoded.substring(1);
      inclusive = false;
      if (decoded.charAt(0) == PREFIX_TOKEN) {
        skipPrefix = cursor;
      }
    } else if (!q.startAfter().isEmpty()) {
      cursor = q.startAfter();
      inclusive = false;
      // A common prefix that start-after falls in (or equals) sorts at or before it: it was
      // listed already (V1's NextMarker is such a prefix), so skip its keys.
      skipPrefix = commonPrefix(cursor, q);
    }
    if (q.maxKeys() == 0) {
      // AWS: KeyCount 0, IsTruncated false, no continuation token.
      return new ListPage(List.of(), List.of(), false, "");
    }
    if (ObjectKeys.UTF8_BINARY_ORDER.compare(q.prefix(), cursor) > 0) {
      cursor = q.prefix();
      inclusive = true;
    }

    List<ObjectEntry> contents = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    String last = null;
    boolean truncated = false;
    Map.Entry<String, ObjectEntry> entry = index.seek(cursor, inclusive);
    while (entry != null) {
      String key = entry.getKey();
      if (!key.startsWith(q.prefix())) {
        break;
      }
      if (skipPrefix != null && key.startsWith(skipPrefix)) {
        Map.Entry<String, ObjectEntry> next = index.seek(skipPrefix + MAX_CODE_POINT, true);
        while (next != null && next.getKey().startsWith(skipPrefix)) {
          next = index.seek(next.getKey(), false);
        }
        entry = next;
        continue;
      }
      if (contents.size() + prefixes.size() == q.maxKeys()) {
        truncated = true;
        break;
      }
      int at = q.delimiter().isEmpty() ? -1 : key.indexOf(q.delimiter(), q.prefix().length());
      if (at >= 0) {
        String common = key.substring(0, at + q.delimiter().length());
        prefixes.add(common);
        last = PREFIX_TOKEN + common;
        skipPrefix = common;
        continue;
      }
      contents.add(entry.getValue());
      last = KEY_TOKEN + key;
      entry = index.seek(key, false);
    }
    return new ListPage(contents, prefixes, truncated, truncated ? encode(last) : "");
  }

  /** The common prefix {@code key} rolls up into under {@code q}, or null. */
  private static String commonPrefix(String key, ListQuery q) {
    if (q.delimiter().isEmpty() || !key.startsWith(q.prefix())) {
      return null;
    }
    int at = key.indexOf(q.delimiter(), q.prefix().length());
    return at < 0 ? null : key.substring(0, at + q.delimiter().length());
  }

  static String encode(String token) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(token.getBytes(StandardCharsets.UTF_8));
  }

  static String decode(String token) {
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (decoded.length() >= 1
          && (decoded.charAt(0) == KEY_TOKEN || decoded.charAt(0) == PREFIX_TOKEN)) {
        return decoded;
      }
    } catch (IllegalArgumentException e) {
      // fall through: a token we did not issue
    }
    throw S3Errors.InvalidArgument.exception("The continuation token provided is incorrect");
  }
}
