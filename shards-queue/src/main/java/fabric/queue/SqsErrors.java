package fabric.queue;

import fabric.core.error.ErrorCategory;
import fabric.core.error.ErrorCode;

/** SQS's error codes, with the HTTP status AWS answers them with. */
public enum SqsErrors implements ErrorCode {
  BatchEntryIdsNotDistinct(400, ErrorCategory.INVALID_ARGUMENT),
  BatchRequestTooLong(400, ErrorCategory.INVALID_ARGUMENT),
  EmptyBatchRequest(400, ErrorCategory.INVALID_ARGUMENT),
  InvalidAddress(404, ErrorCategory.INVALID_ARGUMENT),
  InvalidAttributeName(400, ErrorCategory.INVALID_ARGUMENT),
  InvalidAttributeValue(400, ErrorCategory.INVALID_ARGUMENT),
  InvalidBatchEntryId(400, ErrorCategory.INVALID_ARGUMENT),
  InvalidMessageContents(400, ErrorCategory.INVALID_ARGUMENT),
  InvalidParameterValue(400, ErrorCategory.INVALID_ARGUMENT),
  MessageNotInflight(400, ErrorCategory.FAILED_PRECONDITION),
  MissingParameter(400, ErrorCategory.INVALID_ARGUMENT),
  OverLimit(403, ErrorCategory.RESOURCE_EXHAUSTED),
  PurgeQueueInProgress(403, ErrorCategory.FAILED_PRECONDITION),
  QueueAlreadyExists(400, ErrorCategory.ALREADY_EXISTS),
  QueueDeletedRecently(400, ErrorCategory.FAILED_PRECONDITION),
  QueueDoesNotExist(400, ErrorCategory.NOT_FOUND),
  ReceiptHandleIsInvalid(400, ErrorCategory.INVALID_ARGUMENT),
  ResourceNotFoundException(404, ErrorCategory.NOT_FOUND),
  TooManyEntriesInBatchRequest(400, ErrorCategory.INVALID_ARGUMENT),
  UnsupportedOperation(400, ErrorCategory.INVALID_ARGUMENT);

  private final int httpStatus;
  private final ErrorCategory category;

  SqsErrors(int httpStatus, ErrorCategory category) {
    this.httpStatus = httpStatus;
    this.category = category;
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
