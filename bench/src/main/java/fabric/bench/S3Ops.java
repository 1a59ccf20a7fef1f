package fabric.bench;

import com.google.protobuf.ByteString;
import fabric.s3.v1.CreateBucketRequest;
import fabric.s3.v1.DeleteBucketRequest;
import fabric.s3.v1.DeleteObjectRequest;
import fabric.s3.v1.GetObjectRequest;
import fabric.s3.v1.GetObjectResponse;
import fabric.s3.v1.PutObjectRequest;
import fabric.s3.v1.PutObjectResponse;
import fabric.s3.v1.S3Grpc;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The S3 calls the benchmark makes, on one channel. Every call is blocking for its caller
 * (one worker thread = one in-flight stream), and every failure surfaces as a
 * {@link StatusRuntimeException} so that workers can count it by status code.
 */
final class S3Ops {
  private final S3Grpc.S3Stub async;
  private final S3Grpc.S3BlockingStub blocking;
  private final long timeoutNanos;
  private final int chunkSize;

  S3Ops(Channel channel, Duration opTimeout, int chunkSize) {
    this.async = S3Grpc.newStub(channel);
    this.blocking = S3Grpc.newBlockingStub(channel);
    this.timeoutNanos = opTimeout.toNanos();
    this.chunkSize = chunkSize;
  }

  void createBucket(String bucket, Duration timeout) {
    blocking.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .createBucket(CreateBucketRequest.newBuilder().setBucket(bucket).build());
  }

  void deleteBucket(String bucket) {
    blocking.withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS)
        .deleteBucket(DeleteBucketRequest.newBuilder().setBucket(bucket).build());
  }

  void deleteObject(String bucket, String key) {
    blocking.withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS)
        .deleteObject(DeleteObjectRequest.newBuilder().setBucket(bucket).setKey(key).build());
  }

  /** Streams {@code body} in chunks of {@code chunkSize}; the first message carries the key. */
  void put(String bucket, String key, ByteString body) throws InterruptedException {
    Upload upload = new Upload(bucket, key, body);
    async.withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS).putObject(upload);
    upload.await();
  }

  /** Reads the whole object and returns the number of body bytes received. */
  long get(String bucket, String key) {
    Iterator<GetObjectResponse> stream = blocking
        .withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS)
        .getObject(GetObjectRequest.newBuilder().setBucket(bucket).setKey(key).build());
    long received = 0;
    // Always drain to the end: an abandoned blocking server stream would leak the call.
    while (stream.hasNext()) {
      received += stream.next().getData().size();
    }
    return received;
  }

  /**
   * One client-streaming PutObject. It writes only while the call {@code isReady()}, so at most
   * about a flow-control window of the body is buffered, instead of queueing every chunk of an
   * 8 MiB body in memory at once (which would also make latency measure the client's queue).
   */
  private final class Upload implements ClientResponseObserver<PutObjectRequest, PutObjectResponse> {
    private final String bucket;
    private final String key;
    private final ByteString body;
    private final CompletableFuture<PutObjectResponse> done = new CompletableFuture<>();
    private ClientCallStreamObserver<PutObjectRequest> requests;
    private PutObjectResponse response;
    private int sent;
    private boolean firstSent;
    private boolean halfClosed;

    Upload(String bucket, String key, ByteString body) {
      this.bucket = bucket;
      this.key = key;
      this.body = body;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<PutObjectRequest> requestStream) {
      this.requests = requestStream;
      requestStream.setOnReadyHandler(this::writeWhileReady);
    }

    // gRPC serialises the callbacks of one call, so the fields need no locking.
    private void writeWhileReady() {
      while (!halfClosed && requests.isReady()) {
        int n = Math.min(chunkSize, body.size() - sent);
        // substring of a ByteString shares the payload array: no per-op copy of the body here.
        ByteString data = body.substring(sent, sent + n);
        PutObjectRequest.Builder msg = PutObjectRequest.newBuilder().setData(data);
        if (!firstSent) {
          msg.setBucket(bucket).setKey(key).setContentType("application/octet-stream");
          firstSent = true;
        }
        requests.onNext(msg.build());
        sent += n;
        if (sent >= body.size()) {
          requests.onCompleted();
          halfClosed = true;
        }
      }
    }

    @Override
    public void onNext(PutObjectResponse value) {
      response = value;
    }

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
      done.complete(response);
    }

    void await() throws InterruptedException {
      try {
        done.get();
      } catch (InterruptedException e) {
        requests.cancel("benchmark interrupted", e);
        throw e;
      } catch (ExecutionException e) {
        if (e.getCause() instanceof StatusRuntimeException sre) {
          throw sre;
        }
        throw Status.fromThrowable(e.getCause()).asRuntimeException();
      }
    }
  }
}
