package fabric.core.error;

/** Errors every service shares, with AWS's generic codes. */
public enum CommonErrors implements ErrorCode {
  /** The entity did not answer in time: its shard is moving or its node died. Retryable. */
  ServiceUnavailable(503, ErrorCategory.UNAVAILABLE),
  InternalError(500, ErrorCategory.INTERNAL),
  InvalidArgument(400, ErrorCategory.INVALID_ARGUMENT);

  private final int httpStatus;
  private final ErrorCategory category;

  CommonErrors(int httpStatus, ErrorCategory category) {
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
