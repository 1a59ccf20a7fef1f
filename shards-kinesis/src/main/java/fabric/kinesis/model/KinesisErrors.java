package fabric.kinesis.model;

import fabric.core.error.ErrorCategory;
import fabric.core.error.ErrorCode;
import fabric.core.error.ServiceException;

/** Kinesis Data Streams' error codes, with the HTTP status AWS answers them with. */
public enum KinesisErrors implements ErrorCode {
  InvalidArgumentException(400, ErrorCategory.INVALID_ARGUMENT),
  ValidationException(400, ErrorCategory.INVALID_ARGUMENT),
  ResourceNotFoundException(400, ErrorCategory.NOT_FOUND),
  ResourceInUseException(400, ErrorCategory.FAILED_PRECONDITION),
  LimitExceededException(400, ErrorCategory.RESOURCE_EXHAUSTED),
  ProvisionedThroughputExceededException(400, ErrorCategory.RESOURCE_EXHAUSTED),
  ExpiredIteratorException(400, ErrorCategory.FAILED_PRECONDITION),
  ExpiredNextTokenException(400, ErrorCategory.INVALID_ARGUMENT),
  InternalFailure(500, ErrorCategory.INTERNAL);

  private final int httpStatus;
  private final ErrorCategory category;

  KinesisErrors(int httpStatus, ErrorCategory category) {
    this.httpStatus = httpStatus;
    this.category = category;
  }

  /** The InvalidArgumentException Kinesis answers bad input with. */
  public static ServiceException invalid(String message) {
    return InvalidArgumentException.exception(message);
  }

  @Override
  public String awsCode() {
    return name();
  }

  @Override
  public int httpStatus() {
    return httpStatus;
  }

  @Override
  public ErrorCategory category() {
    return category;
  }
}
