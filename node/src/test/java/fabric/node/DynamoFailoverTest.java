package fabric.node;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.dynamodb.v1.AttributeDefinition;
import fabric.dynamodb.v1.AttributeValue;
import fabric.dynamodb.v1.CreateTableRequest;
import fabric.dynamodb.v1.GetItemRequest;
import fabric.dynamodb.v1.KeySchemaElement;
import fabric.dynamodb.v1.PutItemRequest;
import fabric.dynamodb.v1.UpdateItemRequest;
import fabric.node.testing.DynamoTestClient;
import fabric.node.testing.TestCluster;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DynamoDB across a crash: three nodes in us-east-1a/b/c, a writer putting items and
 * incrementing a counter through a node that survives while the node (and so the AZ) that
 * leads the table's partition is crashed mid-stream. Afterwards, through the new leader,
 * every acknowledged item is there with its value, and the counter counts every
 * acknowledged increment (plus at most the ones whose outcome was unknown).
 */
class DynamoFailoverTest {
  private static final String ACCOUNT = "909090909090";

  @TempDir
  Path dataDir;

  private static AttributeValue s(String v) {
    return AttributeValue.newBuilder().setS(v).build();
  }

  private static AttributeValue n(String v) {
    return AttributeValue.newBuilder().setN(v).build();
  }

  @Test
  void everyAcknowledgedWriteSurvivesTheCrashOfThePartitionLeadersAz() throws Exception {
    try (TestCluster cluster = TestCluster.start(dataDir)) {
      DynamoTestClient[] clients = new DynamoTestClient[3];
      for (int i = 0; i < 3; i++) {
        clients[i] = new DynamoTestClient("127.0.0.1", cluster.node(i).grpcPort(), ACCOUNT);
      }
      try {
        var table = clients[0].blocking().createTable(CreateTableRequest.newBuilder()
            .setTableName("ledger").setBillingMode("PAY_PER_REQUEST")
            .addAttributeDefinitions(AttributeDefinition.newBuilder().setAttributeName("id")
                .setAttributeType("S"))
            .addKeySchema(KeySchemaElement.newBuilder().setAttributeName("id")
                .setKeyType("HASH")).build()).getTableDescription();
        String partition = ACCOUNT + "/us-east-1/ledger/" + table.getTableId() + "/p0";
        clients[0].blocking().putItem(PutItemRequest.newBuilder().setTableName("ledger")
            .putItem("id", s("warm")).build());
        int leader = cluster.leaderOf(0, "TablePartition", partition).orElseThrow();
        DynamoTestClient writer = clients[(leader + 1) % 3];

        List<Integer> acknowledged = new ArrayList<>();
        int increments = 0;
        int unknownIncrements = 0;
        boolean crashed = false;
        int afterCrash = 0;
        for (int i = 0; afterCrash < 60 && i < 5_000; i++) {
          if (!crashed && acknowledged.size() >= 60) {
            cluster.crash(leader);
            crashed = true;
          }
          try {
            writer.blocking().putItem(PutItemRequest.newBuilder().setTableName("ledger")
                .putItem("id", s("item-" + i)).putItem("v", n(Integer.toString(i))).build());
            acknowledged.add(i);
            if (crashed) {
              afterCrash++;
            }
          } catch (StatusRuntimeException e) {
            Thread.sleep(100); // unavailable during the failover: go on, as a client would
          }
          try {
            writer.blocking().updateItem(UpdateItemRequest.newBuilder().setTableName("ledger")
                .putKey("id", s("counter")).setUpdateExpression("ADD hits :one")
                .putExpressionAttributeValues(":one", n("1")).build());
            increments++;
          } catch (StatusRuntimeException e) {
            unknownIncrements++;
          }
        }
        assertThat(crashed).isTrue();
        assertThat(afterCrash).as("writes acknowledged after the crash").isEqualTo(60);

        List<Integer> lost = new ArrayList<>();
        for (int i : acknowledged) {
          var got = writer.blocking().getItem(GetItemRequest.newBuilder().setTableName("ledger")
              .putKey("id", s("item-" + i)).setConsistentRead(true).build());
          if (!got.hasItem() || !got.getItem().getAttributesMap().get("v")
              .equals(n(Integer.toString(i)))) {
            lost.add(i);
          }
        }
        assertThat(lost).as("acknowledged puts missing after the crash").isEmpty();
        long hits = Long.parseLong(writer.blocking().getItem(GetItemRequest.newBuilder()
            .setTableName("ledger").putKey("id", s("counter")).setConsistentRead(true).build())
            .getItem().getAttributesMap().get("hits").getN());
        assertThat(hits).as("acknowledged increments %d, unknown %d", increments,
            unknownIncrements).isBetween((long) increments, (long) increments
            + unknownIncrements);
        int newLeader = cluster.leaderOf((leader + 1) % 3, "TablePartition", partition)
            .orElseThrow();
        assertThat(newLeader).isNotEqualTo(leader);
      } finally {
        for (DynamoTestClient c : clients) {
          c.close();
        }
      }
    }
  }
}
