package fabric.node.testing;

import com.google.protobuf.ByteString;
import fabric.s3.v1.CreateBucketRequest;
import fabric.s3.v1.GetObjectRequest;
import fabric.s3.v1.GetObjectResponse;
import fabric.s3.v1.PutObjectRequest;
import fabric.s3.v1.PutObjectResponse;
import fabric.s3.v1.S3Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A real gRPC client of one node, for tests: the generated stubs plus streaming helpers. */
public final class S3TestClient implements AutoCloseable {
  public static final Metadata.Key<String> ACCOUNT =
      Metadata.Key.of("x-fabric-account-id", Metadata.ASCII_STRING_MARSHALLER);
  private static final int CHUNK_BYTES = 1 << 20;

  private final ManagedChannel channel;
  private final S3Grpc.S3BlockingStub blocking;
  private final S3Grpc.S3Stub async;

  public S3TestClient(String host, int port, String account) {
    this.channel = NettyChannelBuilder.forAddress(host, port).usePlaintext()
        .maxInboundMessageSize(16 << 20).build();
    Metadata headers = new Metadata();
    headers.put(ACCOUNT, account);
    var interceptor = MetadataUtils.newAttachHeadersInterceptor(headers);
    this.blocking = S3Grpc.newBlockingStub(channel).withInterceptors(interceptor);
    this.async = S3Grpc.newStub(channel).withInterceptors(interceptor);
  }

  public S3Grpc.S3BlockingStub blocking() {
    return blocking.withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  /** A stub whose calls name the caller's AZ (header x-fabric-az), for eventual reads. */
  public S3Grpc.S3BlockingStub blockingFromAz(String az) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("x-fabric-az", Metadata.ASCII_STRING_MARSHALLER), az);
    return blocking().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  /** A stub whose calls fail fast, for polling during failover. */
  public S3Grpc.S3BlockingStub blocking(long deadlineMillis) {
    return blocking.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS);
  }

  public void createBucket(String bucket) {
    blocking().createBucket(CreateBucketRequest.newBuilder().setBucket(bucket).build());
  }

  public PutObjectResponse put(String bucket, String key, byte[] body) {
    return put(bucket, key, body, "", Map.of());
  }

  /** Streams the body in 1 MiB messages, the first one carrying bucket, key and metadata. */
  public PutObjectResponse put(String bucket, String key, byte[] body, String contentType,
      Map<String, String> metadata) {
    CompletableFuture<PutObjectResponse> done = new CompletableFuture<>();
    StreamObserver<PutObjectRequest> requests = async.withDeadlineAfter(60, TimeUnit.SECONDS)
        .putObject(new StreamObserver<>() {
          @Override
          public void onNext(PutObjectResponse value) {
            done.complete(value);
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
    int first = Math.min(body.length, CHUNK_BYTES);
    requests.onNext(PutObjectRequest.newBuilder().setBucket(bucket).setKey(key)
        .setContentType(contentType).putAllMetadata(metadata)
        .setData(ByteString.copyFrom(body, 0, first)).build());
    for (int off = first; off < body.length; off += CHUNK_BYTES) {
      int n = Math.min(CHUNK_BYTES, body.length - off);
      requests.onNext(PutObjectRequest.newBuilder()
          .setData(ByteString.copyFrom(body, off, n)).build());
    }
    requests.onCompleted();
    try {
      return done.get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public byte[] get(String bucket, String key) {
    return get(blocking(), bucket, key, "");
  }

  public static byte[] get(S3Grpc.S3BlockingStub stub, String bucket, String key, String range) {
    Iterator<GetObjectResponse> it = stub.getObject(GetObjectRequest.newBuilder()
        .setBucket(bucket).setKey(key).setRange(range).build());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (it.hasNext()) {
      try {
        it.next().getData().writeTo(out);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return out.toByteArray();
  }

  /**
   * Runs a call until it stops failing with UNAVAILABLE or DEADLINE_EXCEEDED, the statuses an
   * AWS SDK retries: a shard that is moving or recovering answers that way for a while (a
   * cold cluster's first call, a failover). Any other status fails at once.
   */
  public static <T> T retryWhileUnavailable(java.util.function.Supplier<T> call,
      java.time.Duration atMost) {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (true) {
      try {
        return call.get();
      } catch (io.grpc.StatusRuntimeException e) {
        io.grpc.Status.Code code = e.getStatus().getCode();
        boolean retryable = code == io.grpc.Status.Code.UNAVAILABLE
            || code == io.grpc.Status.Code.DEADLINE_EXCEEDED;
        if (!retryable || System.nanoTime() > deadline) {
          throw e;
        }
        try {
          Thread.sleep(200);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
