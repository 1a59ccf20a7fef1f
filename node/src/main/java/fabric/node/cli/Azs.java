package fabric.node.cli;

import java.util.Arrays;
import java.util.List;

/** Parses and checks an AZ list such as {@code us-east-1a,us-east-1b,us-east-1c}. */
final class Azs {
  private Azs() {}

  static List<String> parse(String csv) {
    List<String> azs = Arrays.stream(csv.split(",")).map(String::trim)
        .filter(s -> !s.isEmpty()).toList();
    if (azs.isEmpty()) {
      throw new IllegalArgumentException("--azs needs at least one AZ, e.g. us-east-1a");
    }
    String region = regionOf(azs.get(0));
    for (String az : azs) {
      if (!regionOf(az).equals(region)) {
        throw new IllegalArgumentException("all AZs must be in one region: '" + az
            + "' is not in " + region);
      }
    }
    if (azs.stream().distinct().count() != azs.size()) {
      throw new IllegalArgumentException("--azs lists an AZ twice: " + csv);
    }
    return azs;
  }

  /** us-east-1a → us-east-1. */
  static String regionOf(String az) {
    if (!az.matches("[a-z]{2}(-[a-z]+)+-\\d[a-z]")) {
      throw new IllegalArgumentException("'" + az
          + "' is not an AZ name: a region followed by one letter, e.g. us-east-1a");
    }
    return az.substring(0, az.length() - 1);
  }
}
