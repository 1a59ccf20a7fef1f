package fabric.node.testing;

import com.google.protobuf.ByteString;
import fabric.kinesis.v1.GetRecordsRequest;
import fabric.kinesis.v1.GetRecordsResponse;
import fabric.kinesis.v1.GetShardIteratorRequest;
import fabric.kinesis.v1.KinesisGrpc;
import fabric.kinesis.v1.Record;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.util.ArrayList;
import java.util.List;
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

  /**
   * The records of shard 0 of a stream from {@code at} (stream and iterator type set) to
   * the shard's end or the latest record, as UTF-8 strings (at most 100 pages).
   */
  public List<String> readShardZero(GetShardIteratorRequest.Builder at) {
    String it = blocking().getShardIterator(at.setShardId("shardId-000000000000").build())
        .getShardIterator();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 100 && !it.isEmpty(); i++) {
      GetRecordsResponse page = blocking().getRecords(GetRecordsRequest.newBuilder()
          .setShardIterator(it).build());
      page.getRecordsList().stream().map(Record::getData).map(ByteString::toStringUtf8)
          .forEach(out::add);
      if (page.getRecordsCount() == 0 && page.getMillisBehindLatest() == 0) {
        break;
      }
      it = page.getNextShardIterator();
    }
    return out;
  }

  /** {@link #readShardZero} from TRIM_HORIZON. */
  public List<String> fromTrimHorizon(String stream) {
    return readShardZero(GetShardIteratorRequest.newBuilder().setStreamName(stream)
        .setShardIteratorType("TRIM_HORIZON"));
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
