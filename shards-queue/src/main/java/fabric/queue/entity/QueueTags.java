package fabric.queue.entity;

import fabric.queue.SqsErrors;
import java.util.Map;

/** Cost-allocation tags as SQS limits them: ≤ 50 per queue, keys ≤ 128, values ≤ 256. */
final class QueueTags {
  static final int MAX_TAGS = 50;
  static final int MAX_KEY_LENGTH = 128;
  static final int MAX_VALUE_LENGTH = 256;

  private QueueTags() {}

  static Map<String, String> checked(Map<String, String> tags) {
    if (tags == null) {
      return Map.of();
    }
    tags.forEach((k, v) -> {
      if (k == null || k.isEmpty() || k.length() > MAX_KEY_LENGTH) {
        throw SqsErrors.InvalidParameterValue.exception("Tag key '" + k + "' must be 1-"
            + MAX_KEY_LENGTH + " characters.");
      }
      if (k.toLowerCase(java.util.Locale.ROOT).startsWith("aws:")) {
        throw SqsErrors.InvalidParameterValue.exception("Tag key '" + k + "' uses the "
            + "reserved prefix aws:.");
      }
      if (v == null || v.length() > MAX_VALUE_LENGTH) {
        throw SqsErrors.InvalidParameterValue.exception("The value of tag '" + k
            + "' must be at most " + MAX_VALUE_LENGTH + " characters.");
      }
    });
    checkCount(tags.size());
    return Map.copyOf(tags);
  }

  static void checkCount(int count) {
    if (count > MAX_TAGS) {
      throw SqsErrors.InvalidParameterValue.exception("Too many tags: a queue may have at "
          + "most " + MAX_TAGS + ", this would make " + count + ".");
    }
  }
}
