package fabric.dynamo.model;

import fabric.core.serialization.CborSerializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** An item: attribute names to values, at most 400 KB counted the DynamoDB way. */
public record Item(Map<String, AttributeValue> attributes) implements CborSerializable {
  /** DynamoDB's item size limit: 400 KB, names and values. */
  public static final int MAX_SIZE_BYTES = 400 * 1024;

  public Item {
    attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }

  public AttributeValue get(String name) {
    return attributes.get(name);
  }

  /** Names plus values, as DynamoDB sizes an item (for the 400 KB limit and capacity). */
  public int sizeBytes() {
    return attributes.entrySet().stream()
        .mapToInt(e -> AttributeValue.utf8(e.getKey()) + e.getValue().sizeBytes()).sum();
  }

  /** Refuses an item above 400 KB, with DynamoDB's message. */
  public Item checkSize() {
    if (sizeBytes() > MAX_SIZE_BYTES) {
      throw DynamoErrors.validation("Item size has exceeded the maximum allowed size");
    }
    return this;
  }
}
