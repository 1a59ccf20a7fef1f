package fabric.node.testing;

import com.google.rpc.ErrorInfo;
import fabric.sqs.v1.SQSGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import java.util.concurrent.TimeUnit;

/** A real SQS gRPC client of one node, for tests: the generated stub with the account header. */
public final class SqsTestClient implements AutoCloseable {
  private final ManagedChannel channel;
  private final SQSGrpc.SQSBlockingStub blocking;

  public SqsTestClient(String host, int port, String account) {
    this.channel = NettyChannelBuilder.forAddress(host, port).usePlaintext().build();
    Metadata headers = new Metadata();
    headers.put(S3TestClient.ACCOUNT, account);
    this.blocking = SQSGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  /** A stub whose next call gives up after {@code deadlineMillis} (deadlines are absolute). */
  public SQSGrpc.SQSBlockingStub blocking(long deadlineMillis) {
    return blocking.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS);
  }

  public SQSGrpc.SQSBlockingStub blocking() {
    return blocking(30_000);
  }

  /** The AWS error code (e.g. {@code QueueDoesNotExist}) a failed call carries, or "". */
  public static String awsCode(StatusRuntimeException e) {
    var status = StatusProto.fromThrowable(e);
    if (status == null) {
      return "";
    }
    for (var detail : status.getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        try {
          return detail.unpack(ErrorInfo.class).getReason();
        } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
          return "";
        }
      }
    }
    return "";
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
