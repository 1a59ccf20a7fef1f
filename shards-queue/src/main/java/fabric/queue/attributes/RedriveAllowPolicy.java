package fabric.queue.attributes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fabric.queue.SqsErrors;

/**
 * Which source queues may use a queue as their dead-letter queue: the RedriveAllowPolicy
 * attribute ({@code {"redrivePermission":"byQueue","sourceQueueArns":[...]}}), checked as AWS
 * checks it and kept as given.
 */
public final class RedriveAllowPolicy {
  static final int MAX_SOURCE_QUEUES = 10;
  private static final ObjectMapper JSON = new ObjectMapper();

  private RedriveAllowPolicy() {}

  static String validate(String json) {
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw invalid("is not valid JSON");
    }
    if (node == null || !node.isObject()) {
      throw invalid("must be a JSON object");
    }
    String permission = node.path("redrivePermission").asText("");
    JsonNode sources = node.get("sourceQueueArns");
    switch (permission) {
      case "allowAll", "denyAll" -> {
        if (sources != null) {
          throw invalid("may list sourceQueueArns only with redrivePermission byQueue");
        }
      }
      case "byQueue" -> {
        if (sources == null || !sources.isArray() || sources.isEmpty()
            || sources.size() > MAX_SOURCE_QUEUES) {
          throw invalid("needs 1.." + MAX_SOURCE_QUEUES + " sourceQueueArns with byQueue");
        }
        for (JsonNode arn : sources) {
          if (!arn.isTextual() || !arn.asText().startsWith("arn:aws:sqs:")) {
            throw invalid("lists " + arn + ", which is not an SQS queue ARN");
          }
        }
      }
      default -> throw invalid("needs redrivePermission allowAll, denyAll or byQueue");
    }
    return json;
  }

  /** Whether a queue with this policy (null = none: allow all) takes {@code sourceArn}'s
   *  dead letters. */
  public static boolean allows(String policyJson, String sourceArn) {
    if (policyJson == null) {
      return true;
    }
    try {
      JsonNode node = JSON.readTree(policyJson);
      switch (node.path("redrivePermission").asText("")) {
        case "allowAll":
          return true;
        case "byQueue":
          for (JsonNode arn : node.path("sourceQueueArns")) {
            if (arn.asText().equals(sourceArn)) {
              return true;
            }
          }
          return false;
        default:
          return false;
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return false; // validated when set; unreadable means nothing is allowed
    }
  }

  private static RuntimeException invalid(String what) {
    return SqsErrors.InvalidAttributeValue.exception("Invalid value for the parameter "
        + "RedriveAllowPolicy: it " + what + ".");
  }
}
