package fabric.dynamo.table;

import fabric.core.serialization.CborSerializable;
import fabric.dynamo.model.AttributeValue;
import fabric.dynamo.model.DynamoErrors;
import fabric.dynamo.model.Item;
import fabric.dynamo.model.KeySchema;
import java.util.List;

/**
 * A secondary index as created: its key, what it projects, and (global ones) its capacity.
 *
 * @param projectionType KEYS_ONLY, INCLUDE or ALL
 * @param nonKeyAttributes INCLUDE's attributes, else empty
 */
public record IndexSpec(String name, KeySchema keySchema, String projectionType,
    List<String> nonKeyAttributes, long readCapacityUnits, long writeCapacityUnits)
    implements CborSerializable {
  public IndexSpec {
    nonKeyAttributes = nonKeyAttributes == null ? List.of() : List.copyOf(nonKeyAttributes);
  }

  /**
   * An item as written (whole, or as an UpdateItem left it) against secondary index keys,
   * as DynamoDB checks them: an index key attribute may be absent (the item is then not in
   * that index) but not of another type, nor an empty string or binary.
   */
  public static void checkKeys(List<IndexSpec> indexes, Item item) {
    for (IndexSpec index : indexes) {
      KeySchema k = index.keySchema();
      checkKey(index.name(), k.hashName(), k.hashType(), item);
      if (k.hasRange()) {
        checkKey(index.name(), k.rangeName(), k.rangeType(), item);
      }
    }
  }

  private static void checkKey(String index, String name, String type, Item item) {
    AttributeValue v = item.get(name);
    if (v == null) {
      return;
    }
    if (!v.type().equals(type)) {
      throw DynamoErrors.validation("One or more parameter values were invalid: Type "
          + "mismatch for Index Key " + name + " Expected: " + type + " Actual: " + v.type()
          + " IndexName: " + index);
    }
    if (v.sizeBytes() == 0) {
      throw DynamoErrors.validation("One or more parameter values are not valid. A value "
          + "specified for a secondary index key is not supported. The AttributeValue for a "
          + "key attribute cannot contain an empty " + (type.equals("S") ? "string" : "binary")
          + " value. IndexName: " + index + ", IndexKey: " + name);
    }
  }
}
