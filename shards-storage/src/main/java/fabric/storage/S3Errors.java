package fabric.storage;

import fabric.core.error.ErrorCategory;
import fabric.core.error.ErrorCode;

/**
 * S3's error codes as AWS documents them
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html), each with its HTTP
 * status and gRPC category.
 */
public enum S3Errors implements ErrorCode {
  AccessDenied(403, ErrorCategory.PERMISSION_DENIED),
  BadDigest(400, ErrorCategory.INVALID_ARGUMENT),
  BucketAlreadyExists(409, ErrorCategory.ALREADY_EXISTS),
  BucketAlreadyOwnedByYou(409, ErrorCategory.ALREADY_EXISTS),
  BucketNotEmpty(409, ErrorCategory.FAILED_PRECONDITION),
  EntityTooLarge(400, ErrorCategory.INVALID_ARGUMENT),
  IncompleteBody(400, ErrorCategory.INVALID_ARGUMENT),
  InvalidArgument(400, ErrorCategory.INVALID_ARGUMENT),
  InvalidBucketName(400, ErrorCategory.INVALID_ARGUMENT),
  InvalidRange(416, ErrorCategory.OUT_OF_RANGE),
  InvalidRequest(400, ErrorCategory.INVALID_ARGUMENT),
  InvalidStorageClass(400, ErrorCategory.INVALID_ARGUMENT),
  InvalidLocationConstraint(400, ErrorCategory.INVALID_ARGUMENT),
  KeyTooLongError(400, ErrorCategory.INVALID_ARGUMENT),
  /**
   * What S3 answers for an object whose data it lost (documented for Reduced Redundancy
   * objects: "405 Method Not Allowed"); here, a One Zone object whose AZ's data was destroyed.
   */
  MethodNotAllowed(405, ErrorCategory.DATA_LOSS),
  MetadataTooLarge(400, ErrorCategory.INVALID_ARGUMENT),
  NoSuchBucket(404, ErrorCategory.NOT_FOUND),
  NoSuchKey(404, ErrorCategory.NOT_FOUND),
  NotImplemented(501, ErrorCategory.UNIMPLEMENTED),
  PreconditionFailed(412, ErrorCategory.FAILED_PRECONDITION),
  TooManyBuckets(400, ErrorCategory.RESOURCE_EXHAUSTED),
  InternalError(500, ErrorCategory.INTERNAL);

  private final int httpStatus;
  private final ErrorCategory category;

  S3Errors(int httpStatus, ErrorCategory category) {
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
