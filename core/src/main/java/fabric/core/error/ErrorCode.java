package fabric.core.error;

/**
 * One AWS error code of one service, e.g. S3's {@code NoSuchBucket}: implemented by each
 * service's error enum, so that the code, the HTTP status AWS returns and the gRPC category
 * are declared together, once.
 */
public interface ErrorCode {
  /** The AWS error code, exactly as AWS spells it. */
  String awsCode();

  /** The HTTP status AWS returns with it. */
  int httpStatus();

  ErrorCategory category();

  /** The error, with a message that says what was wrong with this request. */
  default ServiceError withMessage(String message) {
    return new ServiceError(awsCode(), httpStatus(), category(), message);
  }

  default ServiceException exception(String message) {
    return new ServiceException(withMessage(message));
  }
}
