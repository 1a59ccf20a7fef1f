package fabric.gateway.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.ErrorInfo;
import fabric.core.blob.BlobCorruptedException;
import fabric.core.error.CommonErrors;
import fabric.core.error.ErrorCategory;
import fabric.core.error.ServiceError;
import fabric.storage.S3Errors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GrpcErrorsTest {
  private final GrpcErrors errors = new GrpcErrors(GrpcErrors.S3_DOMAIN);

  @ParameterizedTest
  @EnumSource(ErrorCategory.class)
  void everyCategoryMapsToTheGrpcCodeOfTheSameName(ErrorCategory category) {
    StatusRuntimeException e =
        errors.toStatus(new ServiceError("SomeCode", 400, category, "why"));

    assertThat(e.getStatus().getCode().name()).isEqualTo(category.name());
    assertThat(e.getStatus().getCode()).isNotIn(Status.Code.UNKNOWN, Status.Code.OK);
  }

  @Test
  void errorInfoCarriesTheAwsCodeDomainAndHttpStatus() {
    StatusRuntimeException e = errors.toStatus(
        S3Errors.NoSuchBucket.withMessage("The specified bucket does not exist"));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(e.getStatus().getDescription()).isEqualTo("The specified bucket does not exist");
    ErrorInfo info = GrpcErrors.errorInfo(e).orElseThrow();
    assertThat(info.getReason()).isEqualTo("NoSuchBucket");
    assertThat(info.getDomain()).isEqualTo("s3.amazonaws.com");
    assertThat(info.getMetadataMap()).containsEntry(GrpcErrors.HTTP_STATUS, "404");
    assertThat(GrpcErrors.awsCode(e)).contains("NoSuchBucket");
  }

  @Test
  void theDomainIsTheOneTheServiceChose() {
    GrpcErrors sqs = new GrpcErrors("sqs.amazonaws.com");

    StatusRuntimeException e = sqs.toStatus(new ServiceError("QueueDoesNotExist", 400,
        ErrorCategory.NOT_FOUND, "The specified queue does not exist."));

    assertThat(GrpcErrors.errorInfo(e).orElseThrow().getDomain()).isEqualTo("sqs.amazonaws.com");
  }

  @Test
  void serviceExceptionsAreFoundInsideCompletionAndExecutionExceptions() {
    var inner = S3Errors.InvalidRange.exception("The requested range is not satisfiable");
    var wrapped = new CompletionException(new ExecutionException(inner));

    StatusRuntimeException e = errors.toStatus(wrapped, "GetObject");

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.OUT_OF_RANGE);
    assertThat(GrpcErrors.errorInfo(e).orElseThrow().getMetadataMap())
        .containsEntry(GrpcErrors.HTTP_STATUS, "416");
  }

  @Test
  void anUnexpectedExceptionBecomesInternalWithoutItsMessageOrStackTrace() {
    var bug = new IllegalStateException("secret path /var/lib/fabric/blobs/ab/cd.data");

    StatusRuntimeException e = errors.toStatus(new CompletionException(bug), "HeadObject");

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(e.getStatus().getDescription()).isEqualTo(GrpcErrors.INTERNAL_MESSAGE);
    assertThat(e.getCause()).isNull();
    assertThat(e.getTrailers().toString()).doesNotContain("secret", "IllegalStateException");
    ErrorInfo info = GrpcErrors.errorInfo(e).orElseThrow();
    assertThat(info.getReason()).isEqualTo("InternalError");
    assertThat(info.getMetadataMap()).containsEntry(GrpcErrors.HTTP_STATUS, "500");
  }

  @Test
  void anInternalServiceErrorKeepsItsCodeButNotItsText() {
    var e = errors.toStatus(CommonErrors.InternalError.exception(
        "java.lang.NullPointerException: Cannot invoke \"String.length()\""), "ListObjectsV2");

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(e.getStatus().getDescription()).isEqualTo(GrpcErrors.INTERNAL_MESSAGE);
    assertThat(GrpcErrors.awsCode(e)).contains("InternalError");
  }

  @Test
  void aCorruptedBlobIsAnInternalErrorThatSaysTheChecksumFailed() {
    var e = errors.toStatus(new BlobCorruptedException("chunk 3 of blob x: crc mismatch"),
        "GetObject");

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(e.getStatus().getDescription()).contains("checksum").doesNotContain("chunk 3");
    assertThat(GrpcErrors.awsCode(e)).contains("InternalError");
  }

  @Test
  void aStatusRaisedByGrpcPassesThroughUnchanged() {
    var cancelled = Status.CANCELLED.withDescription("client went away").asRuntimeException();

    assertThat(errors.toStatus(cancelled, "PutObject")).isSameAs(cancelled);
  }

  @Test
  void aStatusWithoutDetailsHasNoErrorInfo() {
    assertThat(GrpcErrors.errorInfo(Status.UNAVAILABLE.asRuntimeException())).isEmpty();
    assertThat(GrpcErrors.errorInfo(new RuntimeException("not grpc"))).isEmpty();
  }
}
