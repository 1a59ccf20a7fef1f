package fabric.dynamo.model;

import fabric.core.error.ErrorCategory;
import fabric.core.error.ErrorCode;
import fabric.core.error.ServiceException;

/** DynamoDB's error codes, with the HTTP status AWS answers them with. */
public enum DynamoErrors implements ErrorCode {
  ValidationException(400, ErrorCategory.INVALID_ARGUMENT),
  ResourceNotFoundException(400, ErrorCategory.NOT_FOUND),
  ResourceInUseException(400, ErrorCategory.FAILED_PRECONDITION),
  ConditionalCheckFailedException(400, ErrorCategory.FAILED_PRECONDITION),
  ProvisionedThroughputExceededException(400, ErrorCategory.RESOURCE_EXHAUSTED),
  ThrottlingException(400, ErrorCategory.RESOURCE_EXHAUSTED),
  RequestLimitExceeded(400, ErrorCategory.RESOURCE_EXHAUSTED),
  LimitExceededException(400, ErrorCategory.RESOURCE_EXHAUSTED),
  ItemCollectionSizeLimitExceededException(400, ErrorCategory.RESOURCE_EXHAUSTED),
  TransactionCanceledException(400, ErrorCategory.FAILED_PRECONDITION),
  TransactionConflictException(400, ErrorCategory.FAILED_PRECONDITION),
  TransactionInProgressException(400, ErrorCategory.FAILED_PRECONDITION),
  IdempotentParameterMismatchException(400, ErrorCategory.INVALID_ARGUMENT),
  ExpiredIteratorException(400, ErrorCategory.FAILED_PRECONDITION),
  TrimmedDataAccessException(400, ErrorCategory.OUT_OF_RANGE),
  InternalServerError(500, ErrorCategory.INTERNAL);

  private final int httpStatus;
  private final ErrorCategory category;

  DynamoErrors(int httpStatus, ErrorCategory category) {
    this.httpStatus = httpStatus;
    this.category = category;
  }

  /** The ValidationException DynamoDB answers bad input with. */
  public static ServiceException validation(String message) {
    return ValidationException.exception(message);
  }

  /** Whether a failure (as a future completes with it) is a ResourceNotFoundException: a
   *  table, index or partition that is not there (or no longer: a split dropped it). */
  public static boolean isResourceNotFound(Throwable failure) {
    Throwable cause = failure instanceof java.util.concurrent.CompletionException
        && failure.getCause() != null ? failure.getCause() : failure;
    return cause instanceof ServiceException se
        && se.error().code().equals(ResourceNotFoundException.awsCode());
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
