package fabric.queue.message;

import fabric.queue.SqsErrors;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What a receive hands out for one message: which message (its sequence number in the
 * queue) and which receive of it (the receive count at that time). A delete or visibility
 * change must present the handle of the message's latest receive; an older one is stale.
 * Opaque to clients (URL-safe base64), bound to the queue it came from.
 */
public record ReceiptHandle(String queueEntityId, long sequenceNumber, int receiveCount) {
  private static final String VERSION = "r1";

  public String encode() {
    String plain = VERSION + "\n" + queueEntityId + "\n" + sequenceNumber + "\n" + receiveCount;
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  /** The handle, if {@code text} is one of {@code queueEntityId}'s; else ReceiptHandleIsInvalid. */
  public static ReceiptHandle decode(String text, String queueEntityId) {
    if (text == null || text.isEmpty()) {
      throw SqsErrors.MissingParameter.exception("The request must contain the parameter "
          + "ReceiptHandle.");
    }
    try {
      String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8)
          .split("\n", -1);
      if (parts.length == 4 && parts[0].equals(VERSION) && parts[1].equals(queueEntityId)) {
        long seq = Long.parseLong(parts[2]);
        int count = Integer.parseInt(parts[3]);
        if (seq > 0 && count > 0) {
          return new ReceiptHandle(parts[1], seq, count);
        }
      }
    } catch (IllegalArgumentException e) {
      // not base64 or not numbers: invalid, below
    }
    throw SqsErrors.ReceiptHandleIsInvalid.exception("The input receipt handle \""
        + (text.length() > 100 ? text.substring(0, 100) + "..." : text)
        + "\" is not a valid receipt handle.");
  }
}
