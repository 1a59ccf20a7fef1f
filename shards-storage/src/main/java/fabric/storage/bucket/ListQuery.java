package fabric.storage.bucket;

import fabric.core.serialization.CborSerializable;
import fabric.storage.S3Errors;

/**
 * A ListObjectsV2 request as the bucket sees it.
 *
 * @param continuationToken opaque token from a previous page, or empty
 * @param maxKeys 0..1000
 */
public record ListQuery(
    String prefix, String delimiter, String startAfter, String continuationToken, int maxKeys)
    implements CborSerializable {
  public static final int MAX_KEYS_LIMIT = 1000;

  public ListQuery {
    prefix = prefix == null ? "" : prefix;
    delimiter = delimiter == null ? "" : delimiter;
    startAfter = startAfter == null ? "" : startAfter;
    continuationToken = continuationToken == null ? "" : continuationToken;
    if (maxKeys < 0) {
      throw S3Errors.InvalidArgument.exception(
          "max-keys must be between 0 and " + MAX_KEYS_LIMIT + ", got " + maxKeys);
    }
    // AWS silently caps larger values at 1000.
    maxKeys = Math.min(maxKeys, MAX_KEYS_LIMIT);
  }
}
