package fabric.core.replication;

import fabric.core.error.CommonErrors;
import fabric.core.topology.AzDirectory;
import java.util.Locale;
import java.util.Set;

/**
 * Where a read goes: its consistency and the caller's AZ (whose follower answers an
 * eventually consistent read).
 *
 * @param az the caller's AZ: the gateway node's AZ unless the request named one
 */
public record ReadPreference(ReadConsistency consistency, String az) {
  /** Strong reads need no AZ; the leader answers wherever it is. */
  public static final ReadPreference STRONG = new ReadPreference(ReadConsistency.STRONG, "");

  /**
   * Resolves a request's consistency and AZ. {@code consistency} is a {@link ReadConsistency}
   * name (any case) or empty for {@code defaultConsistency}; {@code requestedAz} is empty for
   * {@code gatewayAz}. An AZ the cluster has never seen, or an unknown mode, is refused with
   * InvalidArgument.
   */
  public static ReadPreference resolve(String consistency, ReadConsistency defaultConsistency,
      String requestedAz, String gatewayAz, AzDirectory azs) {
    ReadConsistency mode = defaultConsistency;
    if (consistency != null && !consistency.isEmpty()) {
      try {
        mode = ReadConsistency.valueOf(consistency.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw CommonErrors.InvalidArgument.exception("Unknown read consistency '"
            + consistency + "': use STRONG or EVENTUAL");
      }
    }
    String az = requestedAz == null || requestedAz.isEmpty() ? gatewayAz : requestedAz;
    Set<String> known = azs.knownAzs();
    if (!known.contains(az)) {
      throw CommonErrors.InvalidArgument.exception("Unknown availability zone '" + az
          + "': this cluster has " + String.join(", ", known));
    }
    return new ReadPreference(mode, az);
  }
}
