package fabric.kinesis.model;

import java.util.regex.Pattern;

/** Stream and consumer names and ARNs as Kinesis checks them. */
public final class StreamNames {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.-]{1,128}");
  private static final Pattern STREAM_ARN = Pattern.compile(
      "arn:aws[a-z-]*:kinesis:([a-z0-9-]+):(\\d{12}):stream/([a-zA-Z0-9_.-]{1,128})");

  private StreamNames() {}

  /** A stream (or consumer) name: 1..128 of a-z, A-Z, 0-9, '_', '.', '-'. */
  public static String check(String name, String member) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw KinesisErrors.ValidationException.exception("1 validation error detected: Value '"
          + name + "' at '" + member + "' failed to satisfy constraint: Member must satisfy "
          + "regular expression pattern: [a-zA-Z0-9_.-]+ and have length between 1 and 128");
    }
    return name;
  }

  public static String arn(String region, String account, String stream) {
    return "arn:aws:kinesis:" + region + ":" + account + ":stream/" + stream;
  }

  /** A stream named by name, ARN or both (AWS allows either; both must agree). */
  public record StreamRef(String region, String account, String name) {}

  public static StreamRef resolve(String name, String arn, String region, String account) {
    boolean hasName = name != null && !name.isEmpty();
    boolean hasArn = arn != null && !arn.isEmpty();
    if (!hasName && !hasArn) {
      throw KinesisErrors.invalid("Either StreamName or StreamARN should be provided.");
    }
    if (!hasArn) {
      return new StreamRef(region, account, check(name, "streamName"));
    }
    var m = STREAM_ARN.matcher(arn);
    if (!m.matches()) {
      throw KinesisErrors.invalid("Invalid StreamARN '" + arn + "'");
    }
    if (hasName && !name.equals(m.group(3))) {
      throw KinesisErrors.invalid("StreamName " + name + " and StreamARN " + arn
          + " name different streams");
    }
    if (!m.group(2).equals(account)) {
      throw KinesisErrors.ResourceNotFoundException.exception("Stream " + m.group(3)
          + " under account " + account + " not found.");
    }
    return new StreamRef(m.group(1), account, m.group(3));
  }
}
