package fabric.node.testing;

import fabric.dynamodb.v1.DynamoDBGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.util.concurrent.TimeUnit;

/** A real DynamoDB gRPC client of one node, for tests: the stub with the account header. */
public final class DynamoTestClient implements AutoCloseable {
  private final ManagedChannel channel;
  private final DynamoDBGrpc.DynamoDBBlockingStub blocking;

  public DynamoTestClient(String host, int port, String account) {
    this.channel = NettyChannelBuilder.forAddress(host, port).usePlaintext().build();
    Metadata headers = new Metadata();
    headers.put(S3TestClient.ACCOUNT, account);
    this.blocking = DynamoDBGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  public DynamoDBGrpc.DynamoDBBlockingStub blocking() {
    return blocking.withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
