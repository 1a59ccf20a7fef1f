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
 * A table that outgrows its partition (64 KiB here), or writes to it faster than it takes
 * (50 writes/s here), splits while it serves: writes go on
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
      writeSplitAndCheck(cluster, a, "big", 300, "x".repeat(1_000),
          "partitions after 300 KB in a 64 KiB partition");
    }
  }

  @Test
  void aPartitionThatTakesMoreWritesPerSecondThanItsLimitSplitsAndKeepsEveryItem()
      throws Exception {
    // 50 writes/s: one client writing in a loop passes it; the size limit stays far away.
    try (TestCluster cluster = TestCluster.start(dataDir,
        Map.of("fabric.dynamo.partition-split-writes-per-second", "50"));
        var a = new DynamoTestClient("127.0.0.1", cluster.node(0).grpcPort(), ACCOUNT)) {
      // Writes until the split shows (a rate is measured over at least 2 s, so how many
      // writes that takes depends on the machine), at most 20,000.
      writeSplitAndCheck(cluster, a, "hot", 20_000, "small",
          "partitions after writes as fast as one client goes, limit 50/s");
    }
  }

  /** Creates {@code table}, puts {@code items} items (retrying as an SDK would while a
   *  partition splits), then expects more than one partition (stream shards show them) and
   *  every item there exactly once. */
  private static void writeSplitAndCheck(TestCluster cluster, DynamoTestClient a, String table,
      int items, String body, String why) throws Exception {
    a.blocking().createTable(CreateTableRequest.newBuilder().setTableName(table)
        .setBillingMode("PAY_PER_REQUEST")
        .addAttributeDefinitions(AttributeDefinition.newBuilder().setAttributeName("id")
            .setAttributeType("S"))
        .addKeySchema(KeySchemaElement.newBuilder().setAttributeName("id")
            .setKeyType("HASH"))
        .setStreamSpecification(StreamSpecification.newBuilder().setStreamEnabled(true)
            .setStreamViewType("KEYS_ONLY")).build());
    int written = 0;
    for (int i = 0; i < items; i++, written++) {
      if (i > 0 && i % 200 == 0 && shardCount(cluster, table) > 1) {
        break; // split: enough
      }
      for (int attempt = 0; ; attempt++) {
        try {
          a.blocking().putItem(PutItemRequest.newBuilder().setTableName(table)
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
    int shards = 0;
    for (int i = 0; i < 100 && shards < 2; i++) {
      shards = shardCount(cluster, table);
      Thread.sleep(100);
    }
    assertThat(shards).as(why).isGreaterThan(1);
    Set<String> scanned = new HashSet<>();
    Map<String, AttributeValue> start = Map.of();
    do {
      var page = a.blocking().scan(ScanRequest.newBuilder().setTableName(table)
          .putAllExclusiveStartKey(start).setConsistentRead(true).build());
      page.getItemsList().forEach(item -> assertThat(scanned.add(
          item.getAttributesMap().get("id").getS())).as("scanned once").isTrue());
      start = page.getLastEvaluatedKeyMap();
    } while (!start.isEmpty());
    assertThat(scanned).hasSize(written);
    for (int i = 0; i < written; i += 37) {
      assertThat(a.blocking().getItem(GetItemRequest.newBuilder().setTableName(table)
          .putKey("id", s("item-" + i)).setConsistentRead(true).build()).hasItem()).isTrue();
    }
  }

  /** The table's stream shards (one per partition, closed parents included), through node 1. */
  private static int shardCount(TestCluster cluster, String table) {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1",
        cluster.node(1).grpcPort()).usePlaintext().build();
    try {
      Metadata headers = new Metadata();
      headers.put(S3TestClient.ACCOUNT, ACCOUNT);
      var streams = DynamoDBStreamsGrpc.newBlockingStub(channel)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
      String arn = streams.listStreams(ListStreamsRequest.newBuilder().setTableName(table)
          .build()).getStreams(0).getStreamArn();
      return streams.describeStream(DescribeStreamRequest.newBuilder().setStreamArn(arn)
          .build()).getStreamDescription().getShardsCount();
    } finally {
      channel.shutdownNow();
    }
  }
}
