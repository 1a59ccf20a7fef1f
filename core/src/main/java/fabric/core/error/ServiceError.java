package fabric.core.error;

import fabric.core.serialization.CborSerializable;

/**
 * A domain error as it travels from an entity to the gateway: plain data, so it serializes
 * across nodes.
 */
public record ServiceError(String code, int httpStatus, ErrorCategory category, String message)
    implements CborSerializable {

  @Override
  public String toString() {
    return code + ": " + message;
  }
}
