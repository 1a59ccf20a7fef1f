package fabric.node;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.dynamodb.v1.AttributeDefinition;
import fabric.dynamodb.v1.AttributeValue;
import fabric.dynamodb.v1.CreateTableRequest;
import fabric.dynamodb.v1.DescribeStreamRequest;
import fabric.dynamodb.v1.DynamoDBStreamsGrpc;
import fabric.dynamodb.v1.GetItemRequest;
import fabric.dynamodb.v1.KeySchemaElement;
import fabric.dynamodb.v1.ListStreamsRequest;
import fabric.dynamodb.v1.PutItemRequest;
import fabric.dynamodb.v1.ScanRequest;
import fabric.dynamodb.v1.StreamSpecification;
import fabric.node.testing.DynamoTestClient;
import fabric.node.testing.S3TestClient;
import fabric.node.testing.TestCluster;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table that outgrows its partition (64 KiB here) splits while it serves: writes go on
 * (retrying the moment of the copy, as SDKs retry), afterwards the table has more than one
 * partition (stream shards show them) and every item is still there exactly once.
 */
class DynamoSplitTest {
  private static final String ACCOUNT = "135713571357";

  @TempDir
  Path dataDir;

  private static AttributeValue s(String v) {
    return AttributeValue.newBuilder().setS(v).build();
  }

  @Test
  void aGrowingTableSplitsItsPartitionAndKeepsEveryItem() throws Exception {
    try (TestCluster cluster = TestCluster.start(dataDir,
        Map.of("fabric.dynamo.partition-split-size", "64k"));
        var a = new DynamoTestClient("127.0.0.1", cluster.node(0).grpcPort(), ACCOUNT)) {
      a.blocking().createTable(CreateTableRequest.newBuilder().setTableName("big")
          .setBillingMode("PAY_PER_REQUEST")
          .addAttributeDefinitions(AttributeDefinition.newBuilder().setAttributeName("id")
              .setAttributeType("S"))
          .addKeySchema(KeySchemaElement.newBuilder().setAttributeName("id")
              .setKeyType("HASH"))
          .setStreamSpecification(StreamSpecification.newBuilder().setStreamEnabled(true)
              .setStreamViewType("KEYS_ONLY")).build());
      String body = "x".repeat(1_000);
      int items = 300;
      for (int i = 0; i < items; i++) {
        for (int attempt = 0; ; attempt++) {
          try {
            a.blocking().putItem(PutItemRequest.newBuilder().setTableName("big")
                .putItem("id", s("item-" + i)).putItem("body", s(body)).build());
            break;
          } catch (StatusRuntimeException e) {
            if (attempt > 50) {
              throw e;
            }
            Thread.sleep(100); // the partition is being split: retry, as an SDK would
          }
        }
      }
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1",
          cluster.node(1).grpcPort()).usePlaintext().build();
      try {
        Metadata headers = new Metadata();
        headers.put(S3TestClient.ACCOUNT, ACCOUNT);
        var streams = DynamoDBStreamsGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        String arn = streams.listStreams(ListStreamsRequest.newBuilder().setTableName("big")
            .build()).getStreams(0).getStreamArn();
        int shards = 0;
        for (int i = 0; i < 100 && shards < 2; i++) {
          shards = streams.describeStream(DescribeStreamRequest.newBuilder().setStreamArn(arn)
              .build()).getStreamDescription().getShardsCount();
          Thread.sleep(100);
        }
        assertThat(shards).as("partitions after 300 KB in a 64 KiB partition").isGreaterThan(1);
      } finally {
        channel.shutdownNow();
      }
      Set<String> scanned = new HashSet<>();
      Map<String, AttributeValue> start = Map.of();
      do {
        var page = a.blocking().scan(ScanRequest.newBuilder().setTableName("big")
            .putAllExclusiveStartKey(start).setConsistentRead(true).build());
        page.getItemsList().forEach(item -> assertThat(scanned.add(
            item.getAttributesMap().get("id").getS())).as("scanned once").isTrue());
        start = page.getLastEvaluatedKeyMap();
      } while (!start.isEmpty());
      assertThat(scanned).hasSize(items);
      for (int i = 0; i < items; i += 37) {
        assertThat(a.blocking().getItem(GetItemRequest.newBuilder().setTableName("big")
            .putKey("id", s("item-" + i)).setConsistentRead(true).build()).hasItem()).isTrue();
      }
    }
  }
}
