package fabric.drills.workload;

import com.google.protobuf.ByteString;
import fabric.common.v1.ReadConsistency;
import fabric.drills.cluster.FabricCluster;
import fabric.s3.v1.CreateBucketRequest;
import fabric.s3.v1.GetObjectRequest;
import fabric.s3.v1.GetObjectResponse;
import fabric.s3.v1.PutObjectRequest;
import fabric.s3.v1.PutObjectResponse;
import fabric.s3.v1.S3Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A register per S3 object, over the fabric's gRPC API on one node: read = strongly
 * consistent GetObject, write = PutObject, compare-and-set = PutObject with If-Match (the
 * ETag of the expected value) or If-None-Match "*" (expected absent).
 */
public final class S3Register implements AutoCloseable {
  /** What a call came to: a value, a definite refusal, or an unknown outcome. */
  public sealed interface Result {}

  public record Ok(String value) implements Result {}

  /** The request certainly had no effect (e.g. PreconditionFailed). */
  public record Failed(String error) implements Result {}

  /** The request may or may not have taken effect (timeout, node unreachable). */
  public record Unknown(String error) implements Result {}

  private final FabricCluster.Node node;
  private final ManagedChannel channel;
  private final S3Grpc.S3BlockingStub blocking;
  private final S3Grpc.S3Stub async;
  private final long deadlineMillis;

  public S3Register(FabricCluster.Node node, long deadlineMillis) {
    this.node = node;
    this.deadlineMillis = deadlineMillis;
    this.channel = NettyChannelBuilder.forAddress(node.host(), node.grpcPort()).usePlaintext()
        .build();
    this.blocking = S3Grpc.newBlockingStub(channel);
    this.async = S3Grpc.newStub(channel);
  }

  public String nodeId() {
    return node.id();
  }

  public Result createBucket(String bucket) {
    try {
      blocking.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS)
          .createBucket(CreateBucketRequest.newBuilder().setBucket(bucket).build());
      return new Ok(bucket);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.ALREADY_EXISTS) {
        return new Ok(bucket);
      }
      return classify(e, false);
    }
  }

  public Result read(String bucket, String key) {
    try {
      Iterator<GetObjectResponse> parts = blocking
          .withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS)
          .getObject(GetObjectRequest.newBuilder().setBucket(bucket).setKey(key)
              .setReadConsistency(ReadConsistency.READ_CONSISTENCY_STRONG).build());
      ByteString body = ByteString.EMPTY;
      while (parts.hasNext()) {
        body = body.concat(parts.next().getData());
      }
      return new Ok(body.toStringUtf8());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return new Ok(null); // NoSuchKey: the register is empty
      }
      return classify(e, false);
    }
  }

  public Result write(String bucket, String key, String value) {
    return put(PutObjectRequest.newBuilder().setBucket(bucket).setKey(key), value);
  }

  /** A write with an S3 storage class, e.g. ONEZONE_IA. */
  public Result write(String bucket, String key, String value, String storageClass) {
    return put(PutObjectRequest.newBuilder().setBucket(bucket).setKey(key)
        .setStorageClass(storageClass), value);
  }

  /** Replaces {@code expected} (null = absent) by {@code next}, atomically. */
  public Result compareAndSet(String bucket, String key, String expected, String next) {
    PutObjectRequest.Builder request = PutObjectRequest.newBuilder().setBucket(bucket)
        .setKey(key);
    if (expected == null) {
      request.setIfNoneMatch("*");
    } else {
      request.setIfMatch(md5Hex(expected));
    }
    return put(request, next);
  }

  private Result put(PutObjectRequest.Builder first, String value) {
    CompletableFuture<PutObjectResponse> done = new CompletableFuture<>();
    StreamObserver<PutObjectRequest> requests = async
        .withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS)
        .putObject(new StreamObserver<>() {
          @Override
          public void onNext(PutObjectResponse response) {
            done.complete(response);
          }

          @Override
          public void onError(Throwable t) {
            done.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            done.completeExceptionally(new IllegalStateException("no response"));
          }
        });
    requests.onNext(first.setData(ByteString.copyFromUtf8(value)).build());
    requests.onCompleted();
    try {
      done.get(deadlineMillis + 1_000, TimeUnit.MILLISECONDS);
      return new Ok(value);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StatusRuntimeException sre) {
        return classify(sre, true);
      }
      return new Unknown(node.id() + ": " + e.getCause());
    } catch (TimeoutException e) {
      return new Unknown(node.id() + ": no answer");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Unknown(node.id() + ": interrupted");
    }
  }

  /**
   * Refusals that prove the write did nothing are definite; unavailability and timeouts are
   * not (the leader may have written before the answer was lost), so they are unknown.
   */
  private Result classify(StatusRuntimeException e, boolean write) {
    Status.Code code = e.getStatus().getCode();
    String error = node.id() + ": " + code + " " + e.getStatus().getDescription();
    boolean definite = code == Status.Code.FAILED_PRECONDITION
        || code == Status.Code.INVALID_ARGUMENT || code == Status.Code.NOT_FOUND
        || code == Status.Code.ALREADY_EXISTS || code == Status.Code.PERMISSION_DENIED;
    if (definite || (!write && code != Status.Code.UNAVAILABLE
        && code != Status.Code.DEADLINE_EXCEEDED)) {
      return new Failed(error);
    }
    return new Unknown(error);
  }

  static String md5Hex(String value) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
          .digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
