package fabric.core.topology;

import fabric.core.serialization.CborSerializable;

/**
 * Where a node runs: its id, region and simulated Availability Zone. In the cluster an AZ
 * is a Pekko cluster role ({@link AzRoles}), never a Pekko data center: sharding runs one
 * writer per data center, and AZs must share one writer per resource.
 */
public record NodeLocation(String nodeId, String region, String az) implements CborSerializable {
  public NodeLocation {
    if (nodeId == null || nodeId.isBlank()) {
      throw new IllegalArgumentException("node id must not be blank");
    }
    if (region == null || !region.matches("[a-z]{2}(-[a-z]+)+-\\d")) {
      throw new IllegalArgumentException("region must look like us-east-1, got " + region);
    }
    if (az == null || !az.startsWith(region) || !az.substring(region.length()).matches("[a-z]")) {
      throw new IllegalArgumentException(
          "az must be the region followed by one letter (e.g. " + region + "a), got " + az);
    }
  }
}
