package fabric.node.testing;

import fabric.kinesis.v1.KinesisGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.util.concurrent.TimeUnit;

/** A real Kinesis gRPC client of one node, for tests: the stub with the account header. */
public final class KinesisTestClient implements AutoCloseable {
  private final ManagedChannel channel;
  private final KinesisGrpc.KinesisBlockingStub blocking;
  private final KinesisGrpc.KinesisStub async;

  public KinesisTestClient(String host, int port, String account) {
    this.channel = NettyChannelBuilder.forAddress(host, port).usePlaintext().build();
    Metadata headers = new Metadata();
    headers.put(S3TestClient.ACCOUNT, account);
    this.blocking = KinesisGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    this.async = KinesisGrpc.newStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  /** The asynchronous stub (SubscribeToShard's server streaming), without a deadline. */
  public KinesisGrpc.KinesisStub async() {
    return async;
  }

  public KinesisGrpc.KinesisBlockingStub blocking() {
    return blocking.withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
