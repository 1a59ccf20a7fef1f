package fabric.dynamo.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.math.BigDecimal;
import java.math.MathContext;

/**
 * A DynamoDB number: up to 38 significant digits, magnitude between 1E-130 and
 * 9.99...E+125 (or zero), compared by value ({@code 1.0} equals {@code 1}). Kept normalized
 * (no trailing zeros), so equal numbers have equal representations.
 */
public final class DynamoNumber implements Comparable<DynamoNumber> {
  public static final int MAX_DIGITS = 38;
  private static final BigDecimal MAX = new BigDecimal("9.9999999999999999999999999999999999999E+125");
  private static final BigDecimal MIN = new BigDecimal("1E-130");
  private final BigDecimal value;

  private DynamoNumber(BigDecimal value) {
    this.value = value;
  }

  /** Parses and checks a number as DynamoDB receives it (a decimal string). */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static DynamoNumber parse(String text) {
    BigDecimal v;
    try {
      v = new BigDecimal(text.trim());
    } catch (NumberFormatException | NullPointerException e) {
      throw DynamoErrors.validation("The parameter cannot be converted to a numeric value: "
          + text);
    }
    return of(v);
  }

  public static DynamoNumber of(BigDecimal v) {
    BigDecimal n = v.signum() == 0 ? BigDecimal.ZERO : v.stripTrailingZeros();
    if (n.precision() > MAX_DIGITS) {
      throw DynamoErrors.validation("Attempting to store more than 38 significant digits in "
          + "a Number");
    }
    BigDecimal magnitude = n.abs();
    if (n.signum() != 0 && magnitude.compareTo(MAX) > 0) {
      throw DynamoErrors.validation("Number overflow. Attempting to store a number with "
          + "magnitude larger than supported range");
    }
    if (n.signum() != 0 && magnitude.compareTo(MIN) < 0) {
      throw DynamoErrors.validation("Number underflow. Attempting to store a number with "
          + "magnitude smaller than supported range");
    }
    return new DynamoNumber(n);
  }

  public static DynamoNumber of(long v) {
    return of(BigDecimal.valueOf(v));
  }

  public BigDecimal value() {
    return value;
  }

  /** Sum for ADD and {@code +}; checked like any stored number. */
  public DynamoNumber plus(DynamoNumber other) {
    return of(value.add(other.value, MathContext.UNLIMITED));
  }

  public DynamoNumber minus(DynamoNumber other) {
    return of(value.subtract(other.value, MathContext.UNLIMITED));
  }

  /** Significant digits, for the item size (1 byte per two, plus one). */
  public int significantDigits() {
    return value.signum() == 0 ? 1 : value.precision();
  }

  @JsonValue
  public String text() {
    return value.toPlainString().length() <= 40 ? value.toPlainString() : value.toString();
  }

  @Override
  public int compareTo(DynamoNumber other) {
    return value.compareTo(other.value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DynamoNumber n && value.compareTo(n.value) == 0;
  }

  @Override
  public int hashCode() {
    return value.hashCode(); // normalized, so equal values hash alike
  }

  @Override
  public String toString() {
    return text();
  }
}
