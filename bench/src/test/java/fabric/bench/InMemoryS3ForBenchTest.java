package fabric.bench;

import com.google.protobuf.ByteString;
import fabric.s3.v1.CreateBucketRequest;
import fabric.s3.v1.CreateBucketResponse;
import fabric.s3.v1.DeleteBucketRequest;
import fabric.s3.v1.DeleteBucketResponse;
import fabric.s3.v1.DeleteObjectRequest;
import fabric.s3.v1.DeleteObjectResponse;
import fabric.s3.v1.GetObjectRequest;
import fabric.s3.v1.GetObjectResponse;
import fabric.s3.v1.ObjectMetadata;
import fabric.s3.v1.PutObjectRequest;
import fabric.s3.v1.PutObjectResponse;
import fabric.s3.v1.S3Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * TEST ONLY: a throwaway in-memory S3 service so that the benchmark client can be checked end
 * to end before the real server exists. It implements just the calls the benchmark makes, with
 * none of the real semantics (no ErrorInfo, no ETag, no ranges), and must never be used
 * outside S3BenchEndToEndTest: its numbers say nothing about fabric.
 */
final class InMemoryS3ForBenchTest extends S3Grpc.S3ImplBase implements AutoCloseable {
  private static final int GET_CHUNK = 1 << 20;
  private static final Metadata.Key<String> ACCOUNT =
      Metadata.Key.of("x-fabric-account-id", Metadata.ASCII_STRING_MARSHALLER);

  private final Set<String> buckets = ConcurrentHashMap.newKeySet();
  private final Map<String, ByteString> objects = new ConcurrentHashMap<>();
  private final Server server;

  // What the client sent, for the test to check the wire shape of its requests.
  final Set<String> accountsSeen = ConcurrentHashMap.newKeySet();
  final AtomicLong largestDataMessage = new AtomicLong();
  final AtomicInteger putsWithoutKeyInFirstMessage = new AtomicInteger();
  final AtomicInteger smallPutsSplitOverMessages = new AtomicInteger();
  final AtomicInteger maxConcurrentPuts = new AtomicInteger();
  private final AtomicInteger concurrentPuts = new AtomicInteger();

  InMemoryS3ForBenchTest() throws IOException {
    ServerInterceptor recordAccount = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        accountsSeen.add(String.valueOf(headers.get(ACCOUNT)));
        return next.startCall(call, headers);
      }
    };
    server = NettyServerBuilder.forAddress(new InetSocketAddress("localhost", 0))
        .flowControlWindow(8 << 20)
        .maxInboundMessageSize(16 << 20)
        .addService(ServerInterceptors.intercept(this, recordAccount))
        .build()
        .start();
  }

  String target() {
    return "localhost:" + server.getPort();
  }

  int objectCount() {
    return objects.size();
  }

  boolean hasBucket(String bucket) {
    return buckets.contains(bucket);
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Override
  public void createBucket(CreateBucketRequest req, StreamObserver<CreateBucketResponse> out) {
    if (!buckets.add(req.getBucket())) {
      out.onError(Status.ALREADY_EXISTS.withDescription("BucketAlreadyOwnedByYou")
          .asRuntimeException());
      return;
    }
    out.onNext(CreateBucketResponse.newBuilder().setLocation("/" + req.getBucket()).build());
    out.onCompleted();
  }

  @Override
  public void deleteBucket(DeleteBucketRequest req, StreamObserver<DeleteBucketResponse> out) {
    buckets.remove(req.getBucket());
    out.onNext(DeleteBucketResponse.getDefaultInstance());
    out.onCompleted();
  }

  @Override
  public void deleteObject(DeleteObjectRequest req, StreamObserver<DeleteObjectResponse> out) {
    objects.remove(req.getBucket() + "/" + req.getKey());
    out.onNext(DeleteObjectResponse.getDefaultInstance());
    out.onCompleted();
  }

  @Override
  public StreamObserver<PutObjectRequest> putObject(StreamObserver<PutObjectResponse> out) {
    maxConcurrentPuts.accumulateAndGet(concurrentPuts.incrementAndGet(), Math::max);
    return new StreamObserver<>() {
      private String name;
      private int messages;
      private ByteString body = ByteString.EMPTY;

      @Override
      public void onNext(PutObjectRequest msg) {
        if (messages++ == 0) {
          if (msg.getBucket().isEmpty() || msg.getKey().isEmpty()) {
            putsWithoutKeyInFirstMessage.incrementAndGet();
          }
          name = msg.getBucket() + "/" + msg.getKey();
        }
        largestDataMessage.accumulateAndGet(msg.getData().size(), Math::max);
        body = body.concat(msg.getData());
      }

      @Override
      public void onError(Throwable t) {
        concurrentPuts.decrementAndGet();
      }

      @Override
      public void onCompleted() {
        concurrentPuts.decrementAndGet();
        if (!buckets.contains(name.substring(0, name.indexOf('/')))) {
          out.onError(Status.NOT_FOUND.withDescription("NoSuchBucket").asRuntimeException());
          return;
        }
        if (body.size() <= 64 * 1024 && messages > 1) {
          smallPutsSplitOverMessages.incrementAndGet();
        }
        objects.put(name, body);
        out.onNext(PutObjectResponse.newBuilder().setSize(body.size()).build());
        out.onCompleted();
      }
    };
  }

  @Override
  public void getObject(GetObjectRequest req, StreamObserver<GetObjectResponse> out) {
    ByteString body = objects.get(req.getBucket() + "/" + req.getKey());
    if (body == null) {
      out.onError(Status.NOT_FOUND.withDescription("NoSuchKey").asRuntimeException());
      return;
    }
    out.onNext(GetObjectResponse.newBuilder().setMetadata(ObjectMetadata.newBuilder()
        .setContentLength(body.size()).setObjectSize(body.size())).build());
    for (int off = 0; off < body.size(); off += GET_CHUNK) {
      out.onNext(GetObjectResponse.newBuilder()
          .setData(body.substring(off, Math.min(body.size(), off + GET_CHUNK))).build());
    }
    out.onCompleted();
  }
}
