package fabric.storage.bucket;

import fabric.storage.S3Errors;
import fabric.core.error.ServiceException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * AWS's general-purpose bucket naming rules
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html). Each
 * violation gets its own message so a caller learns what to fix.
 */
public final class BucketNames {
  public static final int MIN_LENGTH = 3;
  public static final int MAX_LENGTH = 63;

  private static final Pattern ALLOWED = Pattern.compile("[a-z0-9.-]+");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final List<String> RESERVED_PREFIXES = List.of("xn--", "sthree-", "amzn-s3-demo-");
  private static final List<String> RESERVED_SUFFIXES =
      List.of("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3");

  private BucketNames() {}

  /** @throws ServiceException InvalidBucketName naming the broken rule */
  public static void validate(String name) {
    String problem = problem(name);
    if (problem != null) {
      throw S3Errors.InvalidBucketName.exception(
          "The specified bucket is not valid: " + problem);
    }
  }

  /** The first rule the name breaks, or null if it is valid. */
  public static String problem(String name) {
    if (name == null || name.isEmpty()) {
      return "bucket name is empty";
    }
    if (name.length() < MIN_LENGTH || name.length() > MAX_LENGTH) {
      return "'" + name + "' is " + name.length() + " characters long; names are "
          + MIN_LENGTH + " to " + MAX_LENGTH + " characters";
    }
    if (!ALLOWED.matcher(name).matches()) {
      return "'" + name + "' may contain only lowercase letters, digits, dots and hyphens";
    }
    if (!isLetterOrDigit(name.charAt(0)) || !isLetterOrDigit(name.charAt(name.length() - 1))) {
      return "'" + name + "' must begin and end with a lowercase letter or digit";
    }
    if (name.contains("..")) {
      return "'" + name + "' must not contain two adjacent dots";
    }
    if (name.contains(".-") || name.contains("-.")) {
      return "'" + name + "' must not contain a dot next to a hyphen";
    }
    if (IPV4.matcher(name).matches()) {
      return "'" + name + "' must not be formatted as an IP address";
    }
    for (String prefix : RESERVED_PREFIXES) {
      if (name.startsWith(prefix)) {
        return "'" + name + "' must not start with the reserved prefix '" + prefix + "'";
      }
    }
    for (String suffix : RESERVED_SUFFIXES) {
      if (name.endsWith(suffix)) {
        return "'" + name + "' must not end with the reserved suffix '" + suffix + "'";
      }
    }
    return null;
  }

  private static boolean isLetterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }
}
