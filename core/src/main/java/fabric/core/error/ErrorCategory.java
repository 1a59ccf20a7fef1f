package fabric.core.error;

/**
 * How a class of AWS errors maps onto gRPC: one place for the whole fabric. The names are
 * the gRPC status codes, so a gateway maps with {@code Status.Code.valueOf(category.name())}.
 */
public enum ErrorCategory {
  INVALID_ARGUMENT,
  NOT_FOUND,
  ALREADY_EXISTS,
  FAILED_PRECONDITION,
  OUT_OF_RANGE,
  RESOURCE_EXHAUSTED,
  PERMISSION_DENIED,
  UNAUTHENTICATED,
  UNAVAILABLE,
  DEADLINE_EXCEEDED,
  UNIMPLEMENTED,
  /** Data that was stored is gone for good (e.g. a One Zone object whose AZ was lost). */
  DATA_LOSS,
  INTERNAL
}
