package fabric.storage.bucket;

import fabric.core.serialization.CborSerializable;
import fabric.storage.S3Errors;

/**
 * S3's conditional writes (PutObject with If-Match / If-None-Match, since 2024): checked by
 * the bucket entity against the key's current object, so two writers racing on one key
 * cannot both succeed. This is the compare-and-set of the drills' register workload.
 *
 * @param ifMatch an ETag (quoted or not): write only if the current object has it
 * @param ifNoneMatch "*" to write only if the key has no object; empty otherwise
 */
public record WriteCondition(String ifMatch, String ifNoneMatch) implements CborSerializable {
  public static final WriteCondition NONE = new WriteCondition("", "");

  public WriteCondition {
    ifMatch = ifMatch == null ? "" : ifMatch;
    ifNoneMatch = ifNoneMatch == null ? "" : ifNoneMatch;
  }

  /** Refuses what S3 refuses before any bytes are read. */
  public WriteCondition validated() {
    if (!ifNoneMatch.isEmpty() && !ifNoneMatch.equals("*")) {
      throw S3Errors.NotImplemented.exception("If-None-Match supports only '*' on PutObject, "
          + "got '" + (ifNoneMatch.length() > 80 ? ifNoneMatch.substring(0, 80) : ifNoneMatch)
          + "'");
    }
    if (!ifMatch.isEmpty() && !ifNoneMatch.isEmpty()) {
      throw S3Errors.InvalidRequest.exception("If-Match and If-None-Match cannot be combined");
    }
    return this;
  }

  /** Throws PreconditionFailed (or NoSuchKey for If-Match on a missing key) when unmet. */
  void check(String key, ObjectEntry current) {
    if (ifNoneMatch.equals("*") && current != null) {
      throw S3Errors.PreconditionFailed.exception("At least one of the pre-conditions you "
          + "specified did not hold: " + key + " already exists (If-None-Match: *)");
    }
    if (!ifMatch.isEmpty()) {
      if (current == null) {
        throw S3Errors.NoSuchKey.exception("The specified key does not exist: " + key
            + " (If-Match)");
      }
      if (!unquoted(current.eTag()).equals(unquoted(ifMatch))) {
        throw S3Errors.PreconditionFailed.exception("At least one of the pre-conditions you "
            + "specified did not hold: " + key + " has ETag " + current.eTag()
            + ", not " + ifMatch + " (If-Match)");
      }
    }
  }

  private static String unquoted(String etag) {
    return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")
        ? etag.substring(1, etag.length() - 1) : etag;
  }
}
