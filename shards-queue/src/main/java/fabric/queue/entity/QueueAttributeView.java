package fabric.queue.entity;

import fabric.queue.QueueId;
import fabric.queue.SqsErrors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** GetQueueAttributes: the settable attributes plus what the queue computes, by name. */
final class QueueAttributeView {
  private static final Set<String> COMPUTED = Set.of("ApproximateNumberOfMessages",
      "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed",
      "CreatedTimestamp", "LastModifiedTimestamp", "QueueArn");

  private QueueAttributeView() {}

  static Map<String, String> of(QueueState s, List<String> names, long nowMillis) {
    Map<String, String> all = new LinkedHashMap<>(s.attributes().asMap());
    MessageIndex.Hidden hidden = s.messages().hidden(nowMillis);
    all.put("ApproximateNumberOfMessages",
        Long.toString(s.messageCount() - hidden.delayed() - hidden.inFlight()));
    all.put("ApproximateNumberOfMessagesNotVisible", Integer.toString(hidden.inFlight()));
    all.put("ApproximateNumberOfMessagesDelayed", Integer.toString(hidden.delayed()));
    all.put("CreatedTimestamp", Long.toString(s.createdAtMillis() / 1_000));
    all.put("LastModifiedTimestamp", Long.toString(s.lastModifiedAtMillis() / 1_000));
    all.put("QueueArn", QueueId.fromEntityId(s.region(), s.entityId()).arn());
    if (names.isEmpty()) {
      return Map.of(); // AWS returns no attributes when none are asked for
    }
    if (names.contains("All")) {
      return all;
    }
    Map<String, String> picked = new LinkedHashMap<>();
    for (String name : names) {
      if (all.containsKey(name)) {
        picked.put(name, all.get(name));
      } else if (!COMPUTED.contains(name) && !isSettable(name)) {
        throw SqsErrors.InvalidAttributeName.exception("Unknown Attribute " + name + ".");
      }
    }
    return picked;
  }

  /** Settable but unset (e.g. RedrivePolicy): not an error, just absent. */
  private static boolean isSettable(String name) {
    return Set.of("RedrivePolicy", "RedriveAllowPolicy", "FifoQueue",
        "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit",
        "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled", "Policy",
        "DelaySeconds", "MaximumMessageSize", "MessageRetentionPeriod",
        "ReceiveMessageWaitTimeSeconds", "VisibilityTimeout").contains(name);
  }
}
