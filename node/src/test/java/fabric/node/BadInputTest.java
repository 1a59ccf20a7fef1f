package fabric.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import com.google.rpc.ErrorInfo;
import fabric.node.testing.S3TestClient;
import fabric.node.testing.TestCluster;
import fabric.s3.v1.CopyObjectRequest;
import fabric.s3.v1.CreateBucketRequest;
import fabric.s3.v1.DeleteBucketRequest;
import fabric.s3.v1.GetObjectRequest;
import fabric.s3.v1.HeadBucketRequest;
import fabric.s3.v1.HeadObjectRequest;
import fabric.s3.v1.ListObjectsV2Request;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad requests over real gRPC to a real three-node cluster: each gets the AWS error code in
 * the status details, a fitting gRPC status and a message that names the problem; nothing
 * is written, and the node keeps serving.
 */
class BadInputTest {
  private static final String OWNER = "111111111111";
  private static final String STRANGER = "222222222222";

  @TempDir
  static Path dataDir;
  static TestCluster cluster;
  static S3TestClient owner;
  static S3TestClient stranger;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = TestCluster.start(dataDir);
    owner = cluster.client(0, OWNER);
    stranger = cluster.client(1, STRANGER);
    owner.createBucket("bad-input");
    owner.put("bad-input", "present", new byte[] {1, 2, 3, 4, 5});
  }

  @AfterAll
  static void stopCluster() {
    owner.close();
    stranger.close();
    cluster.close();
  }

  @Test
  void invalidBucketNamesAreRejectedWithTheRuleTheyBreak() {
    for (var c : Map.of(
        "ab", "3 to 63", "Upper-Case", "lowercase", "under_score", "lowercase",
        "192.168.1.1", "IP address", "-starts-with-hyphen", "begin and end",
        "a".repeat(64), "3 to 63", "double..dot", "adjacent").entrySet()) {
      assertAwsError(() -> owner.createBucket(c.getKey()), Status.Code.INVALID_ARGUMENT,
          "InvalidBucketName", c.getValue());
    }
  }

  @Test
  void missingBucketAndKeyAreNotFound() {
    assertAwsError(() -> owner.get("no-such-bucket-here", "k"), Status.Code.NOT_FOUND,
        "NoSuchBucket", "no-such-bucket-here");
    assertAwsError(() -> owner.get("bad-input", "absent"), Status.Code.NOT_FOUND,
        "NoSuchKey", "absent");
    assertAwsError(() -> owner.blocking().headObject(HeadObjectRequest.newBuilder()
        .setBucket("bad-input").setKey("absent").build()), Status.Code.NOT_FOUND, "NoSuchKey",
        "absent");
  }

  @Test
  void unsatisfiableRangeIsOutOfRange() {
    assertAwsError(() -> S3TestClient.get(owner.blocking(), "bad-input", "present", "bytes=5-"),
        Status.Code.OUT_OF_RANGE, "InvalidRange", "5 bytes");
    assertThat(S3TestClient.get(owner.blocking(), "bad-input", "present", "bytes=1-2"))
        .containsExactly(2, 3);
    assertThat(S3TestClient.get(owner.blocking(), "bad-input", "present", "bytes=-2"))
        .containsExactly(4, 5);
  }

  @Test
  void oversizedMetadataIsRejectedAndNothingIsStored() {
    assertAwsError(() -> owner.put("bad-input", "too-much-meta", new byte[] {1}, "",
        Map.of("big", "x".repeat(2048))), Status.Code.INVALID_ARGUMENT, "MetadataTooLarge",
        "2048");
    assertAwsError(() -> owner.get("bad-input", "too-much-meta"), Status.Code.NOT_FOUND,
        "NoSuchKey", "too-much-meta");
  }

  @Test
  void tooLongKeyIsRejected() {
    assertAwsError(() -> owner.put("bad-input", "k".repeat(1025), new byte[0]),
        Status.Code.INVALID_ARGUMENT, "KeyTooLongError", "1025");
  }

  @Test
  void anotherAccountIsDeniedAndCannotTakeTheName() {
    assertAwsError(() -> stranger.get("bad-input", "present"), Status.Code.PERMISSION_DENIED,
        "AccessDenied", STRANGER);
    assertAwsError(() -> stranger.blocking().headBucket(
            HeadBucketRequest.newBuilder().setBucket("bad-input").build()),
        Status.Code.PERMISSION_DENIED, "AccessDenied", STRANGER);
    assertAwsError(() -> stranger.createBucket("bad-input"), Status.Code.ALREADY_EXISTS,
        "BucketAlreadyExists", "bad-input");
    assertAwsError(() -> owner.createBucket("bad-input"), Status.Code.ALREADY_EXISTS,
        "BucketAlreadyOwnedByYou", "bad-input");
  }

  @Test
  void malformedAccountHeaderIsInvalid() {
    try (S3TestClient bad = cluster.client(2, "not-an-account")) {
      StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
          () -> bad.blocking().listBuckets(fabric.s3.v1.ListBucketsRequest.getDefaultInstance()));
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }
  }

  @Test
  void nonEmptyBucketCannotBeDeleted() {
    assertAwsError(() -> owner.blocking().deleteBucket(
            DeleteBucketRequest.newBuilder().setBucket("bad-input").build()),
        Status.Code.FAILED_PRECONDITION, "BucketNotEmpty", "bad-input");
  }

  @Test
  void malformedRequestsAreInvalidArguments() {
    assertAwsError(() -> owner.blocking().listObjectsV2(ListObjectsV2Request.newBuilder()
            .setBucket("bad-input").setContinuationToken("!!not-a-token!!").build()),
        Status.Code.INVALID_ARGUMENT, "InvalidArgument", "continuation token");
    assertAwsError(() -> owner.blocking().copyObject(CopyObjectRequest.newBuilder()
            .setBucket("bad-input").setKey("copy").setCopySource("no-slash").build()),
        Status.Code.INVALID_ARGUMENT, "InvalidArgument", "bucket/key");
    assertAwsError(() -> owner.blocking().createBucket(CreateBucketRequest.newBuilder()
            .setBucket("bad-region").setLocationConstraint("eu-west-9").build()),
        Status.Code.INVALID_ARGUMENT, "InvalidLocationConstraint", "eu-west-9");
    assertAwsError(() -> S3TestClient.get(owner.blocking(), "bad-input", "", ""),
        Status.Code.INVALID_ARGUMENT, "InvalidArgument", "key");
  }

  @Test
  void theNodeKeepsServingAfterBadInput() {
    invalidBucketNamesAreRejectedWithTheRuleTheyBreak();
    malformedRequestsAreInvalidArguments();
    owner.put("bad-input", "still-serving", "ok".getBytes());
    assertThat(owner.get("bad-input", "still-serving")).isEqualTo("ok".getBytes());
    assertThat(owner.blocking().getObject(GetObjectRequest.newBuilder().setBucket("bad-input")
        .setKey("present").build()).next().getMetadata().getContentLength()).isEqualTo(5);
    assertThat(ByteString.copyFrom(owner.get("bad-input", "present")).size()).isEqualTo(5);
  }

  static void assertAwsError(Executable call, Status.Code status, String awsCode,
      String messageMentions) {
    StatusRuntimeException e;
    try {
      call.execute();
      throw new AssertionError("expected " + awsCode + " but the call succeeded");
    } catch (StatusRuntimeException sre) {
      e = sre;
    } catch (Throwable t) {
      throw new AssertionError("expected a gRPC error " + awsCode + ", got " + t, t);
    }
    assertThat(e.getStatus().getCode()).as(e.toString()).isEqualTo(status);
    assertThat(e.getStatus().getDescription()).contains(messageMentions);
    com.google.rpc.Status details = StatusProto.fromThrowable(e);
    assertThat(details).as("status details of " + e).isNotNull();
    ErrorInfo info = details.getDetailsList().stream().filter(a -> a.is(ErrorInfo.class))
        .map(a -> {
          try {
            return a.unpack(ErrorInfo.class);
          } catch (Exception ex) {
            throw new AssertionError(ex);
          }
        }).findFirst().orElseThrow(() -> new AssertionError("no ErrorInfo in " + details));
    assertThat(info.getReason()).isEqualTo(awsCode);
  }
}
