package fabric.core.topology;

import java.util.Optional;
import java.util.Set;

/** The cluster role that names a node's AZ: {@code az:us-east-1a}. */
public final class AzRoles {
  public static final String PREFIX = "az:";

  private AzRoles() {}

  public static String roleFor(String az) {
    return PREFIX + az;
  }

  /** The AZ among a member's roles, if it declared one. */
  public static Optional<String> azOf(Set<String> roles) {
    return roles.stream().filter(r -> r.startsWith(PREFIX)).map(r -> r.substring(PREFIX.length()))
        .findFirst();
  }
}
