package fabric.gateway.grpc;

import fabric.common.v1.ReadConsistency;
import fabric.core.error.CommonErrors;
import fabric.core.replication.ReadPreference;
import fabric.core.topology.AzDirectory;

/**
 * Turns a request's read_consistency and the caller's AZ header into a
 * {@link ReadPreference}: the gateway node's AZ unless the header names another one.
 */
public final class ReadRouting {
  private final String gatewayAz;
  private final AzDirectory azs;
  private final fabric.core.replication.ReadConsistency defaultConsistency;

  public ReadRouting(String gatewayAz, AzDirectory azs,
      fabric.core.replication.ReadConsistency defaultConsistency) {
    this.gatewayAz = gatewayAz;
    this.azs = azs;
    this.defaultConsistency = defaultConsistency;
  }

  /** @throws fabric.core.error.ServiceException InvalidArgument for an unknown mode or AZ */
  public ReadPreference resolve(ReadConsistency consistency, String callerAz) {
    String mode = switch (consistency) {
      case READ_CONSISTENCY_UNSPECIFIED -> "";
      case READ_CONSISTENCY_STRONG -> "STRONG";
      case READ_CONSISTENCY_EVENTUAL -> "EVENTUAL";
      case UNRECOGNIZED -> throw CommonErrors.InvalidArgument.exception(
          "Unknown read_consistency value: use READ_CONSISTENCY_STRONG or "
              + "READ_CONSISTENCY_EVENTUAL");
    };
    return ReadPreference.resolve(mode, defaultConsistency, callerAz, gatewayAz, azs);
  }
}
