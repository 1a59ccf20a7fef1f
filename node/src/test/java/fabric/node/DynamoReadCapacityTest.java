package fabric.node;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.dynamodb.v1.AttributeDefinition;
import fabric.dynamodb.v1.AttributeValue;
import fabric.dynamodb.v1.BatchGetItemRequest;
import fabric.dynamodb.v1.CreateTableRequest;
import fabric.dynamodb.v1.GetItemRequest;
import fabric.dynamodb.v1.KeySchemaElement;
import fabric.dynamodb.v1.KeysAndAttributes;
import fabric.dynamodb.v1.ProvisionedThroughput;
import fabric.dynamodb.v1.PutItemRequest;
import fabric.gateway.grpc.GrpcErrors;
import fabric.node.testing.DynamoTestClient;
import fabric.node.testing.TestCluster;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads throttle as DynamoDB's: a PROVISIONED table's partition serves its RCU plus the
 * unused burst (2 s here instead of 300 s), then answers ProvisionedThroughputExceeded; an
 * on-demand table only past the configured ceiling (3 RCU/s here instead of 40,000).
 */
class DynamoReadCapacityTest {
  private static final String ACCOUNT = "135713571357";
  private static final int READS = 40;

  @TempDir
  Path dataDir;

  private static AttributeValue s(String v) {
    return AttributeValue.newBuilder().setS(v).build();
  }

  private static CreateTableRequest.Builder table(String name) {
    return CreateTableRequest.newBuilder().setTableName(name)
        .addAttributeDefinitions(AttributeDefinition.newBuilder().setAttributeName("id")
            .setAttributeType("S"))
        .addKeySchema(KeySchemaElement.newBuilder().setAttributeName("id").setKeyType("HASH"));
  }

  /** Strong GetItems of one small item (1 RCU each), as fast as they go: how many passed. */
  private static int strongReadsUntilThrottled(DynamoTestClient a, String table) {
    for (int i = 0; i < READS; i++) {
      try {
        a.blocking().getItem(GetItemRequest.newBuilder().setTableName(table)
            .putKey("id", s("k")).setConsistentRead(true).build());
      } catch (StatusRuntimeException e) {
        assertThat(GrpcErrors.awsCode(e)).contains("ProvisionedThroughputExceededException");
        return i;
      }
    }
    return READS;
  }

  @Test
  void readsBeyondTheCapacityAndItsBurstAreThrottled() throws Exception {
    try (TestCluster cluster = TestCluster.start(dataDir, Map.of(
        "fabric.dynamo.capacity.read-burst", "2s",
        "fabric.dynamo.capacity.on-demand-read-units", "3"));
        var a = new DynamoTestClient("127.0.0.1", cluster.node(0).grpcPort(), ACCOUNT)) {
      a.blocking().createTable(table("slow").setBillingMode("PROVISIONED")
          .setProvisionedThroughput(ProvisionedThroughput.newBuilder().setReadCapacityUnits(1)
              .setWriteCapacityUnits(100)).build());
      a.blocking().createTable(table("ondemand").setBillingMode("PAY_PER_REQUEST").build());
      for (String t : new String[] {"slow", "ondemand"}) {
        a.blocking().putItem(PutItemRequest.newBuilder().setTableName(t)
            .putItem("id", s("k")).putItem("v", s("small")).build());
      }

      // 1 RCU/s with 2 s of burst: the first reads pass, a burst of 40 does not.
      int passed = strongReadsUntilThrottled(a, "slow");
      assertThat(passed).as("strong reads before the throttle").isPositive().isLessThan(READS);
      // BatchGetItem whose every key is throttled fails as a whole (AWS's rule).
      var batch = BatchGetItemRequest.newBuilder().putRequestItems("slow",
          KeysAndAttributes.newBuilder().addKeys(fabric.dynamodb.v1.Item.newBuilder()
              .putAttributes("id", s("k"))).setConsistentRead(true).build()).build();
      int batchesPassed = 0;
      StatusRuntimeException batchFailure = null;
      for (int i = 0; i < READS && batchFailure == null; i++) {
        try {
          var got = a.blocking().batchGetItem(batch);
          batchesPassed += got.getUnprocessedKeysCount() == 0 ? 1 : 0;
        } catch (StatusRuntimeException e) {
          batchFailure = e;
        }
      }
      assertThat(batchFailure).as("a throttled BatchGetItem").isNotNull();
      assertThat(GrpcErrors.awsCode(batchFailure))
          .contains("ProvisionedThroughputExceededException");

      // On demand: the ceiling (3 RCU/s, 2 s of burst) throttles a burst too.
      int onDemand = strongReadsUntilThrottled(a, "ondemand");
      assertThat(onDemand).as("on-demand reads before the ceiling").isPositive()
          .isLessThan(READS);
    }
  }
}
