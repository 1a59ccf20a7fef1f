package fabric.gateway.grpc;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import fabric.core.blob.BlobCorruptedException;
import fabric.core.error.CommonErrors;
import fabric.core.error.ErrorCategory;
import fabric.core.error.ServiceError;
import fabric.core.error.ServiceException;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where fabric errors become gRPC statuses: the status code comes from the
 * error's category, the AWS code travels as a {@code google.rpc.ErrorInfo} in the status
 * details so clients can branch on {@code NoSuchBucket} without parsing text. One instance
 * per service, because the ErrorInfo domain names the AWS service ("s3.amazonaws.com").
 */
public final class GrpcErrors {
  private static final Logger log = LoggerFactory.getLogger(GrpcErrors.class);

  public static final String S3_DOMAIN = "s3.amazonaws.com";
  public static final String SQS_DOMAIN = "sqs.amazonaws.com";
  public static final String DYNAMODB_DOMAIN = "dynamodb.amazonaws.com";
  /** ErrorInfo metadata key: the HTTP status AWS would return for this error. */
  public static final String HTTP_STATUS = "http_status";
  /** What a client sees for a failure it did not cause; the details stay in the server log. */
  public static final String INTERNAL_MESSAGE =
      "We encountered an internal error. Please try again.";
  public static final String CORRUPTED_MESSAGE =
      "The stored bytes of this object failed their checksum; the object cannot be read.";

  private final String domain;
  private final java.util.function.Function<ServiceException, java.util.List<Any>> details;

  public GrpcErrors(String domain) {
    this(domain, e -> java.util.List.of());
  }

  /** @param details what a service's error carries besides its code and message (an item,
   *     reasons), as further status details after the ErrorInfo */
  public GrpcErrors(String domain,
      java.util.function.Function<ServiceException, java.util.List<Any>> details) {
    this.domain = domain;
    this.details = details;
  }

  public String domain() {
    return domain;
  }

  /** The status for a domain error, exactly as the error says. */
  public StatusRuntimeException toStatus(ServiceError error) {
    return toStatus(error, java.util.List.of());
  }

  private StatusRuntimeException toStatus(ServiceError error, java.util.List<Any> more) {
    Status.Code code = Status.Code.valueOf(error.category().name());
    ErrorInfo info = ErrorInfo.newBuilder()
        .setReason(error.code())
        .setDomain(domain)
        .putMetadata(HTTP_STATUS, Integer.toString(error.httpStatus()))
        .build();
    com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
        .setCode(code.value())
        .setMessage(error.message() == null ? "" : error.message())
        .addDetails(Any.pack(info))
        .addAllDetails(more)
        .build();
    return StatusProto.toStatusRuntimeException(status);
  }

  /**
   * The status for whatever a call failed with (unwrapping CompletionException and
   * ExecutionException). Anything that is not a client's mistake is logged here with
   * {@code operation} and answered with a generic INTERNAL, so no exception text or stack
   * trace reaches the client.
   */
  public StatusRuntimeException toStatus(Throwable failure, String operation) {
    Throwable t = unwrap(failure);
    if (t instanceof ServiceException se) {
      ServiceError error = se.error();
      if (error.category() == ErrorCategory.INTERNAL) {
        // Internal ServiceErrors often carry an exception's toString (see the storage
        // module's unwrapping of unexpected failures): keep that text server-side.
        log.warn("{} failed: {}", operation, error, se.getCause());
        return toStatus(new ServiceError(error.code(), error.httpStatus(), error.category(),
            INTERNAL_MESSAGE));
      }
      return toStatus(error, details.apply(se));
    }
    if (t instanceof StatusRuntimeException sre) {
      return sre; // already shaped by us (or by grpc itself, e.g. CANCELLED)
    }
    if (t instanceof StatusException se) {
      return new StatusRuntimeException(se.getStatus(), se.getTrailers());
    }
    if (t instanceof BlobCorruptedException) {
      log.warn("{} failed: {}", operation, t.getMessage());
      return toStatus(CommonErrors.InternalError.withMessage(CORRUPTED_MESSAGE));
    }
    log.warn("{} failed unexpectedly", operation, t);
    return toStatus(CommonErrors.InternalError.withMessage(INTERNAL_MESSAGE));
  }

  /** The ErrorInfo a fabric server put into a failed call's status, if any. */
  public static Optional<ErrorInfo> errorInfo(Throwable failure) {
    com.google.rpc.Status status = StatusProto.fromThrowable(unwrap(failure));
    if (status == null) {
      return Optional.empty();
    }
    for (Any detail : status.getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        try {
          return Optional.of(detail.unpack(ErrorInfo.class));
        } catch (InvalidProtocolBufferException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /** The AWS error code (ErrorInfo reason) of a failed call, or empty. */
  public static Optional<String> awsCode(Throwable failure) {
    return errorInfo(failure).map(ErrorInfo::getReason);
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
