package fabric.queue.attributes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fabric.core.error.ServiceException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueueAttributesTest {
  private static void refused(Runnable r, String code, String messagePart) {
    assertThatThrownBy(r::run).isInstanceOfSatisfying(ServiceException.class,
            e -> assertThat(e.error().code()).isEqualTo(code))
        .hasMessageContaining(messagePart);
  }

  @Test
  void aNewQueueHasAwsDefaults() {
    QueueAttributes a = QueueAttributes.forCreate("orders", Map.of());
    assertThat(a.asMap()).containsExactly(Map.entry("DelaySeconds", "0"),
        Map.entry("MaximumMessageSize", "262144"),
        Map.entry("MessageRetentionPeriod", "345600"),
        Map.entry("ReceiveMessageWaitTimeSeconds", "0"),
        Map.entry("VisibilityTimeout", "30"));
    QueueAttributes fifo = QueueAttributes.forCreate("orders.fifo", Map.of("FifoQueue", "true"));
    assertThat(fifo.asMap()).containsEntry("FifoQueue", "true")
        .containsEntry("ContentBasedDeduplication", "false")
        .containsEntry("DeduplicationScope", "queue")
        .containsEntry("FifoThroughputLimit", "perQueue");
  }

  @Test
  void numbersMustBeWholeAndWithinAwsRanges() {
    QueueAttributes a = QueueAttributes.forCreate("q", Map.of("VisibilityTimeout", "43200",
        "DelaySeconds", "900", "MessageRetentionPeriod", "60", "MaximumMessageSize", "1024",
        "ReceiveMessageWaitTimeSeconds", "20"));
    assertThat(a.visibilityTimeoutSeconds()).isEqualTo(43_200);
    assertThat(a.delaySeconds()).isEqualTo(900);
    refused(() -> QueueAttributes.forCreate("q", Map.of("VisibilityTimeout", "43201")),
        "InvalidAttributeValue", "VisibilityTimeout: 43201 is outside 0..43200");
    refused(() -> QueueAttributes.forCreate("q", Map.of("DelaySeconds", "-1")),
        "InvalidAttributeValue", "outside 0..900");
    refused(() -> QueueAttributes.forCreate("q", Map.of("MessageRetentionPeriod", "1209601")),
        "InvalidAttributeValue", "outside 60..1209600");
    refused(() -> QueueAttributes.forCreate("q", Map.of("MaximumMessageSize", "1023")),
        "InvalidAttributeValue", "outside 1024..262144");
    refused(() -> QueueAttributes.forCreate("q", Map.of("ReceiveMessageWaitTimeSeconds", "2.5")),
        "InvalidAttributeValue", "not a whole number");
  }

  @Test
  void unknownReadOnlyAndFifoOnlyAttributesAreRefusedByName() {
    refused(() -> QueueAttributes.forCreate("q", Map.of("Colour", "blue")),
        "InvalidAttributeName", "Unknown Attribute Colour");
    refused(() -> QueueAttributes.forCreate("q", Map.of("QueueArn", "arn:aws:sqs:x")),
        "InvalidAttributeName", "read-only");
    refused(() -> QueueAttributes.forCreate("q", Map.of("ContentBasedDeduplication", "true")),
        "InvalidAttributeName", "FIFO queues only");
    refused(() -> QueueAttributes.forCreate("q.fifo",
            Map.of("FifoQueue", "true", "DeduplicationScope", "group")),
        "InvalidAttributeValue", "use messageGroup or queue");
  }

  @Test
  void fifoIsFixedAtCreationAndMustAgreeWithTheName() {
    refused(() -> QueueAttributes.forCreate("q", Map.of("FifoQueue", "true")),
        "InvalidParameterValue", ".fifo suffix");
    refused(() -> QueueAttributes.forCreate("q.fifo", Map.of("FifoQueue", "false")),
        "InvalidParameterValue", "only FIFO queues");
    QueueAttributes fifo = QueueAttributes.forCreate("q.fifo", Map.of());
    assertThat(fifo.fifo()).isTrue();
    refused(() -> fifo.with(Map.of("FifoQueue", "false"), false),
        "InvalidAttributeName", "cannot be changed");
  }

  @Test
  void redrivePoliciesAreJsonAsAwsTakesThem() {
    QueueAttributes a = QueueAttributes.forCreate("q", Map.of("RedrivePolicy",
        "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:111122223333:dlq\","
            + "\"maxReceiveCount\":\"5\"}"));
    assertThat(a.redrivePolicy()).isEqualTo(
        new RedrivePolicy("arn:aws:sqs:us-east-1:111122223333:dlq", 5));
    assertThat(a.with(Map.of("RedrivePolicy", ""), false).redrivePolicy()).isNull();
    refused(() -> QueueAttributes.forCreate("q", Map.of("RedrivePolicy",
            "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:1:dlq\",\"maxReceiveCount\":0}")),
        "InvalidAttributeValue", "maxReceiveCount must be 1..1000");
    refused(() -> QueueAttributes.forCreate("q", Map.of("RedrivePolicy", "{not json")),
        "InvalidAttributeValue", "not valid JSON");
    refused(() -> QueueAttributes.forCreate("q", Map.of("RedriveAllowPolicy",
            "{\"redrivePermission\":\"byQueue\"}")),
        "InvalidAttributeValue", "needs 1..10 sourceQueueArns");
    assertThat(QueueAttributes.forCreate("q", Map.of("RedriveAllowPolicy",
        "{\"redrivePermission\":\"denyAll\"}")).redriveAllowPolicy()).isNotNull();
  }
}
