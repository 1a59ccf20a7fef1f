package fabric.queue.message;

import fabric.core.serialization.CborSerializable;
import fabric.queue.SqsErrors;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One message attribute as SQS takes it: a data type ({@code String}, {@code Number} or
 * {@code Binary}, optionally with a custom label after a dot, e.g. {@code Number.float})
 * and a string or binary value. Lists are reserved by AWS and refused.
 */
public record MessageAttribute(String dataType, String stringValue, byte[] binaryValue)
    implements CborSerializable {
  /** Most attributes one message may carry. */
  public static final int MAX_PER_MESSAGE = 10;
  public static final int MAX_NAME_LENGTH = 256;
  public static final int MAX_DATA_TYPE_LENGTH = 256;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");
  /** SQS numbers: up to 38 significant digits, 10^-128 to 10^+126. */
  private static final int MAX_NUMBER_DIGITS = 38;

  public static MessageAttribute string(String value) {
    return new MessageAttribute("String", value, null);
  }

  public static MessageAttribute number(String value) {
    return new MessageAttribute("Number", value, null);
  }

  public static MessageAttribute binary(byte[] value) {
    return new MessageAttribute("Binary", null, value);
  }

  /** "String", "Number" or "Binary": the type before any custom label. */
  public String baseType() {
    int dot = dataType.indexOf('.');
    return dot < 0 ? dataType : dataType.substring(0, dot);
  }

  public boolean isBinary() {
    return baseType().equals("Binary");
  }

  /** What the attribute adds to the message size: name, type and value, in bytes. */
  public long sizeBytes(String name) {
    long value = isBinary() ? binaryValue.length
        : stringValue.getBytes(StandardCharsets.UTF_8).length;
    return name.getBytes(StandardCharsets.UTF_8).length
        + dataType.getBytes(StandardCharsets.UTF_8).length + value;
  }

  /** Checks a message's attributes as SQS does; the message names what is wrong. */
  public static void validateAll(Map<String, MessageAttribute> attributes) {
    if (attributes.size() > MAX_PER_MESSAGE) {
      throw SqsErrors.InvalidParameterValue.exception("Number of message attributes ["
          + attributes.size() + "] exceeds the allowed maximum [" + MAX_PER_MESSAGE + "].");
    }
    attributes.forEach(MessageAttribute::validate);
  }

  static void validate(String name, MessageAttribute a) {
    validateName(name);
    if (a == null || a.dataType() == null || a.dataType().isEmpty()) {
      throw SqsErrors.InvalidParameterValue.exception("The message attribute '" + name
          + "' must contain a non-empty attribute type.");
    }
    if (a.dataType().length() > MAX_DATA_TYPE_LENGTH) {
      throw SqsErrors.InvalidParameterValue.exception("The message attribute '" + name
          + "' has a data type longer than " + MAX_DATA_TYPE_LENGTH + " characters.");
    }
    String base = a.baseType();
    if (!base.equals("String") && !base.equals("Number") && !base.equals("Binary")) {
      throw SqsErrors.InvalidParameterValue.exception("The message attribute '" + name
          + "' has an invalid message attribute type '" + a.dataType() + "': the type must "
          + "be String, Number or Binary, optionally followed by .label.");
    }
    if (a.isBinary()) {
      if (a.binaryValue() == null || a.binaryValue().length == 0) {
        throw SqsErrors.InvalidParameterValue.exception("The message attribute '" + name
            + "' with type 'Binary' must use field 'Binary' and may not be empty.");
      }
      return;
    }
    if (a.stringValue() == null || a.stringValue().isEmpty()) {
      throw SqsErrors.InvalidParameterValue.exception("The message attribute '" + name
          + "' with type '" + base + "' must use field 'String' and may not be empty.");
    }
    if (base.equals("Number")) {
      validateNumber(name, a.stringValue());
    }
  }

  private static void validateName(String name) {
    if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH
        || !NAME.matcher(name).matches() || name.startsWith(".") || name.endsWith(".")
        || name.contains("..")) {
      throw SqsErrors.InvalidParameterValue.exception("Message attribute name '" + name
          + "' is invalid: use 1-" + MAX_NAME_LENGTH + " letters, digits, '_', '-' or '.', "
          + "not starting or ending with '.' and without '..'.");
    }
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.startsWith("aws.") || lower.startsWith("amazon.")) {
      throw SqsErrors.InvalidParameterValue.exception("Message attribute name '" + name
          + "' is reserved: names may not start with AWS. or Amazon.");
    }
  }

  private static void validateNumber(String name, String value) {
    BigDecimal n;
    try {
      n = new BigDecimal(value.trim());
    } catch (NumberFormatException e) {
      throw SqsErrors.InvalidParameterValue.exception("Can't cast the value of message "
          + "attribute '" + name + "' to a number: '" + value + "'.");
    }
    BigDecimal abs = n.abs().stripTrailingZeros();
    if (abs.precision() > MAX_NUMBER_DIGITS
        || (abs.signum() != 0 && (abs.precision() - abs.scale() - 1 > 126
            || abs.precision() - abs.scale() - 1 < -128))) {
      throw SqsErrors.InvalidParameterValue.exception("The value of message attribute '"
          + name + "' is out of range: up to 38 significant digits, between 10^-128 and "
          + "10^+126.");
    }
  }

  /** By content: a record compares arrays by reference. */
  @Override
  public boolean equals(Object o) {
    return o instanceof MessageAttribute m && dataType.equals(m.dataType)
        && Objects.equals(stringValue, m.stringValue)
        && Arrays.equals(binaryValue, m.binaryValue);
  }

  @Override
  public int hashCode() {
    return Objects.hash(dataType, stringValue, Arrays.hashCode(binaryValue));
  }

  @Override
  public String toString() {
    return "MessageAttribute[" + dataType + ", " + (isBinary()
        ? binaryValue.length + " bytes" : stringValue) + "]";
  }
}
