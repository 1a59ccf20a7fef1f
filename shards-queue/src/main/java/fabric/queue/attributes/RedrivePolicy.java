package fabric.queue.attributes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fabric.core.serialization.CborSerializable;
import fabric.queue.SqsErrors;

/**
 * Where a message goes after {@code maxReceiveCount} receives: the RedrivePolicy attribute,
 * JSON as AWS takes it ({@code {"deadLetterTargetArn":"arn:aws:sqs:...","maxReceiveCount":5}};
 * AWS also accepts the count as a string).
 */
public record RedrivePolicy(String deadLetterTargetArn, int maxReceiveCount)
    implements CborSerializable {
  public static final int MAX_RECEIVE_COUNT = 1_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  public static RedrivePolicy parse(String json) {
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw invalid("is not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw invalid("must be a JSON object");
    }
    JsonNode arn = node.get("deadLetterTargetArn");
    if (arn == null || !arn.isTextual() || !arn.asText().startsWith("arn:aws:sqs:")) {
      throw invalid("needs deadLetterTargetArn, the ARN of an SQS queue "
          + "(arn:aws:sqs:region:account:name)");
    }
    JsonNode count = node.get("maxReceiveCount");
    int n;
    if (count != null && count.isInt()) {
      n = count.asInt();
    } else if (count != null && count.isTextual() && count.asText().matches("[0-9]{1,9}")) {
      n = Integer.parseInt(count.asText());
    } else {
      throw invalid("needs maxReceiveCount, a whole number 1.." + MAX_RECEIVE_COUNT);
    }
    if (n < 1 || n > MAX_RECEIVE_COUNT) {
      throw invalid("maxReceiveCount must be 1.." + MAX_RECEIVE_COUNT + ", got " + n);
    }
    return new RedrivePolicy(arn.asText(), n);
  }

  public String toJson() {
    return JSON.createObjectNode().put("deadLetterTargetArn", deadLetterTargetArn)
        .put("maxReceiveCount", maxReceiveCount).toString();
  }

  private static RuntimeException invalid(String what) {
    return SqsErrors.InvalidAttributeValue.exception("Invalid value for the parameter "
        + "RedrivePolicy: it " + what + ".");
  }
}
