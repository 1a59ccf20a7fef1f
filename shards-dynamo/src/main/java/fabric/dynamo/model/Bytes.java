package fabric.dynamo.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Base64;

/** An immutable binary value (B, BS): compared as DynamoDB does, unsigned bytewise. */
public final class Bytes implements Comparable<Bytes> {
  private final byte[] value;

  private Bytes(byte[] value) {
    this.value = value;
  }

  public static Bytes of(byte[] value) {
    return new Bytes(value.clone());
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static Bytes fromBase64(String base64) {
    return new Bytes(Base64.getDecoder().decode(base64));
  }

  @JsonValue
  public String base64() {
    return Base64.getEncoder().encodeToString(value);
  }

  public byte[] toArray() {
    return value.clone();
  }

  public int length() {
    return value.length;
  }

  /** The bytes from index {@code from} on... compared as a prefix by begins_with. */
  public boolean startsWith(Bytes prefix) {
    return prefix.value.length <= value.length
        && Arrays.equals(value, 0, prefix.value.length, prefix.value, 0, prefix.value.length);
  }

  public boolean contains(Bytes part) {
    outer:
    for (int i = 0; i + part.value.length <= value.length; i++) {
      for (int j = 0; j < part.value.length; j++) {
        if (value[i + j] != part.value[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  @Override
  public int compareTo(Bytes other) {
    return Arrays.compareUnsigned(value, other.value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes b && Arrays.equals(value, b.value);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return base64();
  }
}
