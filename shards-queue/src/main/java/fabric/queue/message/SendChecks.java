package fabric.queue.message;

import fabric.queue.SqsErrors;
import fabric.queue.attributes.QueueAttributes;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What SQS checks before it accepts a message or a batch, with its error codes: body
 * characters and size, delays, FIFO group and deduplication ids, batch entry ids.
 */
public final class SendChecks {
  public static final int MAX_BATCH_ENTRIES = 10;
  public static final int MAX_BATCH_BYTES = 262_144;
  public static final int MAX_ENTRY_ID_LENGTH = 80;
  public static final int MAX_FIFO_ID_LENGTH = 128;
  private static final Pattern ENTRY_ID = Pattern.compile("[A-Za-z0-9_-]+");
  /** Letters, digits and ASCII punctuation: what SQS allows in group and dedup ids. */
  private static final Pattern FIFO_ID = Pattern.compile("[\\x21-\\x7e]+");

  private SendChecks() {}

  public static void check(OutgoingMessage m, QueueAttributes queue) {
    if (m.body() == null || m.body().isEmpty()) {
      throw SqsErrors.MissingParameter.exception("The request must contain the parameter "
          + "MessageBody.");
    }
    checkCharacters(m.body());
    MessageAttribute.validateAll(m.attributes());
    long size = m.sizeBytes();
    if (size > queue.maximumMessageSizeBytes()) {
      throw SqsErrors.InvalidParameterValue.exception("One or more parameters are invalid. "
          + "Reason: Message must be shorter than " + queue.maximumMessageSizeBytes()
          + " bytes (body and attributes are " + size + ").");
    }
    if (queue.fifo()) {
      checkFifo(m, queue);
    } else {
      if (m.deduplicationId() != null) {
        throw SqsErrors.InvalidParameterValue.exception("The request includes "
            + "MessageDeduplicationId, which is valid only for FIFO queues.");
      }
      if (m.groupId() != null) {
        checkFifoId("MessageGroupId", m.groupId());
      }
      if (m.delaySeconds() != null && (m.delaySeconds() < 0
          || m.delaySeconds() > QueueAttributes.MAX_DELAY_SECONDS)) {
        throw SqsErrors.InvalidParameterValue.exception("Value " + m.delaySeconds()
            + " for parameter DelaySeconds is invalid. Reason: must be between 0 and "
            + QueueAttributes.MAX_DELAY_SECONDS + ", if provided.");
      }
    }
  }

  private static void checkFifo(OutgoingMessage m, QueueAttributes queue) {
    if (m.delaySeconds() != null) {
      throw SqsErrors.InvalidParameterValue.exception("Value " + m.delaySeconds()
          + " for parameter DelaySeconds is invalid. Reason: The request include parameter "
          + "that is not valid for this queue type (FIFO queues delay per queue only).");
    }
    if (m.groupId() == null || m.groupId().isEmpty()) {
      throw SqsErrors.MissingParameter.exception("The request must contain the parameter "
          + "MessageGroupId.");
    }
    checkFifoId("MessageGroupId", m.groupId());
    if (m.deduplicationId() == null) {
      if (!queue.contentBasedDeduplication()) {
        throw SqsErrors.InvalidParameterValue.exception("The queue should either have "
            + "ContentBasedDeduplication enabled or MessageDeduplicationId provided "
            + "explicitly.");
      }
    } else {
      checkFifoId("MessageDeduplicationId", m.deduplicationId());
    }
  }

  private static void checkFifoId(String parameter, String id) {
    if (id.length() > MAX_FIFO_ID_LENGTH || !FIFO_ID.matcher(id).matches()) {
      throw SqsErrors.InvalidParameterValue.exception("Value " + abbreviate(id)
          + " for parameter " + parameter + " is invalid. Reason: it must be 1-"
          + MAX_FIFO_ID_LENGTH + " letters, digits or punctuation.");
    }
  }

  /** XML 1.0 characters only: #x9, #xA, #xD, #x20-#xD7FF, #xE000-#xFFFD, #x10000-#x10FFFF. */
  static void checkCharacters(String body) {
    for (int i = 0; i < body.length(); ) {
      int c = body.codePointAt(i);
      boolean ok = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
          || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
      if (!ok) {
        throw SqsErrors.InvalidMessageContents.exception("Invalid binary character '#x"
            + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT) + "' was found in "
            + "the message body at character " + i + ": the set of allowed characters is "
            + "#x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF.");
      }
      i += Character.charCount(c);
    }
  }

  /**
   * A batch's entry ids and total size, before its entries are checked one by one.
   *
   * @param entryType as AWS names it in messages, e.g. SendMessageBatchRequestEntry
   */
  public static void checkBatch(String entryType, List<String> entryIds, long totalBytes) {
    if (entryIds.isEmpty()) {
      throw SqsErrors.EmptyBatchRequest.exception("There should be at least one "
          + entryType + " in the request.");
    }
    if (entryIds.size() > MAX_BATCH_ENTRIES) {
      throw SqsErrors.TooManyEntriesInBatchRequest.exception("Maximum number of entries per "
          + "request are " + MAX_BATCH_ENTRIES + ". You have sent " + entryIds.size() + ".");
    }
    Set<String> seen = new HashSet<>();
    for (String id : entryIds) {
      if (id == null || id.isEmpty() || id.length() > MAX_ENTRY_ID_LENGTH
          || !ENTRY_ID.matcher(id).matches()) {
        throw SqsErrors.InvalidBatchEntryId.exception("A batch entry id can only contain "
            + "alphanumeric characters, hyphens and underscores. It can be at most "
            + MAX_ENTRY_ID_LENGTH + " letters long: '" + abbreviate(String.valueOf(id)) + "'.");
      }
      if (!seen.add(id)) {
        throw SqsErrors.BatchEntryIdsNotDistinct.exception("Id " + id + " repeated.");
      }
    }
    if (totalBytes > MAX_BATCH_BYTES) {
      throw SqsErrors.BatchRequestTooLong.exception("Batch requests cannot be longer than "
          + MAX_BATCH_BYTES + " bytes. You have sent " + totalBytes + " bytes.");
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 140 ? s : s.substring(0, 140) + "...";
  }
}
