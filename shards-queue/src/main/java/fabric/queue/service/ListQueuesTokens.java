package fabric.queue.service;

import fabric.queue.SqsErrors;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** ListQueues' NextToken: the last name of the page, opaque to the client. */
final class ListQueuesTokens {
  private static final String VERSION = "n1:";

  private ListQueuesTokens() {}

  static String encode(String lastName) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((VERSION + lastName).getBytes(StandardCharsets.UTF_8));
  }

  /** The last name of the previous page; null for none; InvalidParameterValue if garbled. */
  static String decode(String token) {
    if (token == null || token.isEmpty()) {
      return null;
    }
    try {
      String plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (plain.startsWith(VERSION)) {
        return plain.substring(VERSION.length());
      }
    } catch (IllegalArgumentException e) {
      // not ours: below
    }
    throw SqsErrors.InvalidParameterValue.exception("Invalid NextToken value: '" + token
        + "'.");
  }
}
