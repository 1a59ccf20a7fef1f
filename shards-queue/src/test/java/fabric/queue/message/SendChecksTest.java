package fabric.queue.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fabric.core.error.ServiceException;
import fabric.queue.attributes.QueueAttributes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SendChecksTest {
  private static final QueueAttributes STANDARD = QueueAttributes.forCreate("q", Map.of());
  private static final QueueAttributes FIFO = QueueAttributes.forCreate("q.fifo", Map.of());
  private static final QueueAttributes FIFO_CONTENT_DEDUP = QueueAttributes.forCreate("q.fifo",
      Map.of("ContentBasedDeduplication", "true"));

  private static OutgoingMessage body(String body) {
    return new OutgoingMessage(body, Map.of(), null, null, null);
  }

  private static void refused(Runnable r, String code, String messagePart) {
    assertThatThrownBy(r::run).isInstanceOfSatisfying(ServiceException.class,
            e -> assertThat(e.error().code()).isEqualTo(code))
        .hasMessageContaining(messagePart);
  }

  @Test
  void aBodyOfAllowedCharactersUpToTheQueuesLimitIsAccepted() {
    assertThatCode(() -> SendChecks.check(body("tab\there ✓ 𝄞\r\n"), STANDARD))
        .doesNotThrowAnyException();
    assertThatCode(() -> SendChecks.check(body("x".repeat(262_144)), STANDARD))
        .doesNotThrowAnyException();
  }

  @Test
  void emptyOversizedOrControlCharacterBodiesAreRefused() {
    refused(() -> SendChecks.check(body(""), STANDARD), "MissingParameter", "MessageBody");
    refused(() -> SendChecks.check(body("x".repeat(262_145)), STANDARD),
        "InvalidParameterValue", "shorter than 262144 bytes");
    refused(() -> SendChecks.check(new OutgoingMessage("x".repeat(262_140),
            Map.of("attr", MessageAttribute.string("12345")), null, null, null), STANDARD),
        "InvalidParameterValue", "body and attributes are 262155");
    refused(() -> SendChecks.check(body("bell\u0007"), STANDARD), "InvalidMessageContents",
        "#x7");
    refused(() -> SendChecks.check(body("\uFFFF"), STANDARD), "InvalidMessageContents",
        "#xFFFF");
  }

  @Test
  void standardQueuesTakeDelaysButNoDeduplicationIds() {
    assertThatCode(() -> SendChecks.check(new OutgoingMessage("m", Map.of(), 900, null, null),
        STANDARD)).doesNotThrowAnyException();
    refused(() -> SendChecks.check(new OutgoingMessage("m", Map.of(), 901, null, null),
        STANDARD), "InvalidParameterValue", "between 0 and 900");
    refused(() -> SendChecks.check(new OutgoingMessage("m", Map.of(), null, null, "d1"),
        STANDARD), "InvalidParameterValue", "only for FIFO queues");
  }

  @Test
  void fifoQueuesNeedAGroupAndADeduplicationIdOrContentDeduplicationAndNoDelay() {
    assertThatCode(() -> SendChecks.check(new OutgoingMessage("m", Map.of(), null, "g1", "d1"),
        FIFO)).doesNotThrowAnyException();
    assertThatCode(() -> SendChecks.check(new OutgoingMessage("m", Map.of(), null, "g1", null),
        FIFO_CONTENT_DEDUP)).doesNotThrowAnyException();
    refused(() -> SendChecks.check(new OutgoingMessage("m", Map.of(), null, null, "d1"), FIFO),
        "MissingParameter", "MessageGroupId");
    refused(() -> SendChecks.check(new OutgoingMessage("m", Map.of(), null, "g1", null), FIFO),
        "InvalidParameterValue", "ContentBasedDeduplication enabled or MessageDeduplicationId");
    refused(() -> SendChecks.check(new OutgoingMessage("m", Map.of(), 5, "g1", "d1"), FIFO),
        "InvalidParameterValue", "not valid for this queue type");
    refused(() -> SendChecks.check(new OutgoingMessage("m", Map.of(), null, "g 1", "d1"), FIFO),
        "InvalidParameterValue", "MessageGroupId is invalid");
    refused(() -> SendChecks.check(new OutgoingMessage("m", Map.of(), null, "g",
        "d".repeat(129)), FIFO), "InvalidParameterValue", "MessageDeduplicationId is invalid");
  }

  @Test
  void batchesNeedOneToTenDistinctWellFormedIdsAndAtMost256KiB() {
    assertThatCode(() -> SendChecks.checkBatch("SendMessageBatchRequestEntry", List.of("a", "b-1", "c_2"), 262_144))
        .doesNotThrowAnyException();
    refused(() -> SendChecks.checkBatch("SendMessageBatchRequestEntry", List.of(), 0), "EmptyBatchRequest", "at least one SendMessageBatchRequestEntry");
    refused(() -> SendChecks.checkBatch("SendMessageBatchRequestEntry", List.of("1", "2", "3", "4", "5", "6", "7", "8", "9",
        "10", "11"), 11), "TooManyEntriesInBatchRequest", "You have sent 11");
    refused(() -> SendChecks.checkBatch("SendMessageBatchRequestEntry", List.of("a", "a"), 2), "BatchEntryIdsNotDistinct",
        "Id a repeated");
    refused(() -> SendChecks.checkBatch("SendMessageBatchRequestEntry", List.of("a.b"), 2), "InvalidBatchEntryId",
        "alphanumeric");
    refused(() -> SendChecks.checkBatch("SendMessageBatchRequestEntry", List.of("a", "b"), 262_145), "BatchRequestTooLong",
        "262145 bytes");
  }
}
