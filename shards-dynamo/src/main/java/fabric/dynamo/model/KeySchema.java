package fabric.dynamo.model;

import fabric.core.serialization.CborSerializable;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A table's (or index's) primary key: the partition (HASH) attribute and an optional sort
 * (RANGE) attribute, each of type S, N or B.
 *
 * @param rangeName null for a table with a partition key only
 */
public record KeySchema(String hashName, String hashType, String rangeName, String rangeType)
    implements CborSerializable {
  /** DynamoDB's limits on key values (UTF-8 or raw bytes). */
  public static final int MAX_HASH_KEY_BYTES = 2048;
  public static final int MAX_RANGE_KEY_BYTES = 1024;

  public boolean hasRange() {
    return rangeName != null;
  }

  /** The key of {@code item}, checked as DynamoDB checks a PutItem's key attributes. */
  public PrimaryKey keyOfItem(Item item) {
    return PrimaryKey.of(keyValue(item.get(hashName), hashName, hashType, MAX_HASH_KEY_BYTES,
        "One of the required keys was not given a value"),
        hasRange() ? keyValue(item.get(rangeName), rangeName, rangeType, MAX_RANGE_KEY_BYTES,
            "One of the required keys was not given a value") : null);
  }

  /**
   * A Key parameter (GetItem, DeleteItem, UpdateItem): exactly the key attributes, of their
   * types. DynamoDB: "The provided key element does not match the schema".
   */
  public PrimaryKey keyOf(Map<String, AttributeValue> key) {
    int expected = hasRange() ? 2 : 1;
    if (key.size() != expected || !key.containsKey(hashName)
        || (hasRange() && !key.containsKey(rangeName))) {
      throw DynamoErrors.validation("The provided key element does not match the schema");
    }
    return keyOfItem(new Item(key));
  }

  private static AttributeValue keyValue(AttributeValue v, String name, String type,
      int maxBytes, String missing) {
    if (v == null) {
      throw DynamoErrors.validation(missing);
    }
    if (!v.type().equals(type)) {
      throw DynamoErrors.validation("One or more parameter values were invalid: Type "
          + "mismatch for key " + name + " expected: " + type + " actual: " + v.type());
    }
    int size = v.sizeBytes();
    if (size == 0) {
      throw DynamoErrors.validation("One or more parameter values are not valid. The "
          + "AttributeValue for a key attribute cannot contain an empty " + (type.equals("S")
          ? "string" : "binary") + " value. Key: " + name);
    }
    if (!type.equals("N") && size > maxBytes) {
      throw DynamoErrors.validation("One or more parameter values were invalid: Size of "
          + (maxBytes == MAX_HASH_KEY_BYTES ? "hashkey" : "rangekey") + " has exceeded the "
          + "maximum size limit of " + maxBytes + " bytes");
    }
    return v;
  }

  /** The key attributes as a map (for LastEvaluatedKey, stream records, return values). */
  public Map<String, AttributeValue> asMap(PrimaryKey key) {
    Map<String, AttributeValue> m = new LinkedHashMap<>();
    m.put(hashName, key.hash());
    if (hasRange()) {
      m.put(rangeName, key.range());
    }
    return m;
  }

  /** How DynamoDB orders sort keys: N numerically, S by UTF-8 bytes, B unsigned bytewise. */
  public static final Comparator<AttributeValue> KEY_ORDER = KeySchema::compareKeys;

  public static int compareKeys(AttributeValue a, AttributeValue b) {
    if (a instanceof AttributeValue.N x && b instanceof AttributeValue.N y) {
      return x.value().compareTo(y.value());
    }
    if (a instanceof AttributeValue.S x && b instanceof AttributeValue.S y) {
      return java.util.Arrays.compareUnsigned(x.value().getBytes(StandardCharsets.UTF_8),
          y.value().getBytes(StandardCharsets.UTF_8));
    }
    if (a instanceof AttributeValue.B x && b instanceof AttributeValue.B y) {
      return x.value().compareTo(y.value());
    }
    throw new IllegalArgumentException("key values of different types: " + a.type() + ", "
        + b.type());
  }
}
