package fabric.dynamo.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import fabric.core.serialization.CborSerializable;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A DynamoDB attribute value: one of S, N, B, SS, NS, BS, M, L, NULL, BOOL, as AWS's
 * AttributeValue. Immutable; sets compare as sets, maps as maps.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "t")
@JsonSubTypes({
    @JsonSubTypes.Type(value = AttributeValue.S.class, name = "S"),
    @JsonSubTypes.Type(value = AttributeValue.N.class, name = "N"),
    @JsonSubTypes.Type(value = AttributeValue.B.class, name = "B"),
    @JsonSubTypes.Type(value = AttributeValue.SS.class, name = "SS"),
    @JsonSubTypes.Type(value = AttributeValue.NS.class, name = "NS"),
    @JsonSubTypes.Type(value = AttributeValue.BS.class, name = "BS"),
    @JsonSubTypes.Type(value = AttributeValue.M.class, name = "M"),
    @JsonSubTypes.Type(value = AttributeValue.L.class, name = "L"),
    @JsonSubTypes.Type(value = AttributeValue.Null.class, name = "NULL"),
    @JsonSubTypes.Type(value = AttributeValue.Bool.class, name = "BOOL")})
public sealed interface AttributeValue extends CborSerializable {

  /** AWS's type descriptor: "S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL". */
  String type();

  /** The value's size as DynamoDB counts it (without its attribute name). */
  int sizeBytes();

  record S(String value) implements AttributeValue {
    public String type() {
      return "S";
    }

    public int sizeBytes() {
      return utf8(value);
    }
  }

  record N(DynamoNumber value) implements AttributeValue {
    public static N of(String text) {
      return new N(DynamoNumber.parse(text));
    }

    public String type() {
      return "N";
    }

    public int sizeBytes() {
      return (value.significantDigits() + 1) / 2 + 1;
    }
  }

  record B(Bytes value) implements AttributeValue {
    public String type() {
      return "B";
    }

    public int sizeBytes() {
      return value.length();
    }
  }

  record SS(Set<String> values) implements AttributeValue {
    public SS {
      values = Set.copyOf(new LinkedHashSet<>(values));
    }

    public String type() {
      return "SS";
    }

    public int sizeBytes() {
      return values.stream().mapToInt(AttributeValue::utf8).sum();
    }
  }

  record NS(Set<DynamoNumber> values) implements AttributeValue {
    public NS {
      values = Set.copyOf(new LinkedHashSet<>(values));
    }

    public String type() {
      return "NS";
    }

    public int sizeBytes() {
      return values.stream().mapToInt(n -> new N(n).sizeBytes()).sum();
    }
  }

  record BS(Set<Bytes> values) implements AttributeValue {
    public BS {
      values = Set.copyOf(new LinkedHashSet<>(values));
    }

    public String type() {
      return "BS";
    }

    public int sizeBytes() {
      return values.stream().mapToInt(Bytes::length).sum();
    }
  }

  /** A map; keeps its keys' order (what the caller sent), compares as a map. */
  record M(Map<String, AttributeValue> values) implements AttributeValue {
    public M {
      values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public String type() {
      return "M";
    }

    public int sizeBytes() {
      return 3 + values.entrySet().stream()
          .mapToInt(e -> utf8(e.getKey()) + e.getValue().sizeBytes() + 1).sum();
    }
  }

  record L(List<AttributeValue> values) implements AttributeValue {
    public L {
      values = List.copyOf(values);
    }

    public String type() {
      return "L";
    }

    public int sizeBytes() {
      return 3 + values.stream().mapToInt(v -> v.sizeBytes() + 1).sum();
    }
  }

  record Null() implements AttributeValue {
    public String type() {
      return "NULL";
    }

    public int sizeBytes() {
      return 1;
    }
  }

  record Bool(boolean value) implements AttributeValue {
    public String type() {
      return "BOOL";
    }

    public int sizeBytes() {
      return 1;
    }
  }

  static int utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
