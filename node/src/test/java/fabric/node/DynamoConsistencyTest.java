package fabric.node;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.core.replication.ReplicationFaults;
import fabric.dynamodb.v1.AttributeDefinition;
import fabric.dynamodb.v1.AttributeValue;
import fabric.dynamodb.v1.CreateTableRequest;
import fabric.dynamodb.v1.DescribeTableRequest;
import fabric.dynamodb.v1.GetItemRequest;
import fabric.dynamodb.v1.KeySchemaElement;
import fabric.dynamodb.v1.PutItemRequest;
import fabric.node.testing.DynamoTestClient;
import fabric.node.testing.TestCluster;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's read consistency: with the follower in the reader's AZ held back (its leader
 * stops feeding that AZ), an eventually consistent GetItem returns the old item while a
 * strongly consistent one through the same node returns the new one; released, the
 * follower catches up.
 */
class DynamoConsistencyTest {
  private static final String ACCOUNT = "123412341234";

  @TempDir
  Path dataDir;

  private static AttributeValue s(String v) {
    return AttributeValue.newBuilder().setS(v).build();
  }

  private static String read(DynamoTestClient via, boolean consistent) {
    var got = via.blocking().getItem(GetItemRequest.newBuilder().setTableName("profiles")
        .putKey("id", s("u1")).setConsistentRead(consistent).build());
    return got.hasItem() ? got.getItem().getAttributesMap().get("v").getS() : null;
  }

  private static void put(DynamoTestClient via, String v) {
    via.blocking().putItem(PutItemRequest.newBuilder().setTableName("profiles")
        .putItem("id", s("u1")).putItem("v", s(v)).build());
  }

  private static void awaitEventual(DynamoTestClient via, String v) throws Exception {
    for (int i = 0; i < 150 && !v.equals(read(via, false)); i++) {
      Thread.sleep(100);
    }
    assertThat(read(via, false)).isEqualTo(v);
  }

  @Test
  void aHeldBackFollowerServesStaleEventualReadsWhileStrongReadsAreFresh() throws Exception {
    try (TestCluster cluster = TestCluster.start(dataDir)) {
      DynamoTestClient[] clients = new DynamoTestClient[3];
      for (int i = 0; i < 3; i++) {
        clients[i] = new DynamoTestClient("127.0.0.1", cluster.node(i).grpcPort(), ACCOUNT);
      }
      try {
        var table = clients[0].blocking().createTable(CreateTableRequest.newBuilder()
            .setTableName("profiles").setBillingMode("PAY_PER_REQUEST")
            .addAttributeDefinitions(AttributeDefinition.newBuilder().setAttributeName("id")
                .setAttributeType("S"))
            .addKeySchema(KeySchemaElement.newBuilder().setAttributeName("id")
                .setKeyType("HASH")).build()).getTableDescription();
        put(clients[0], "v1");
        String partition = ACCOUNT + "/us-east-1/profiles/" + table.getTableId() + "/p0";
        int leader = cluster.leaderOf(0, "TablePartition", partition).orElseThrow();
        int reader = (leader + 1) % 3;
        awaitEventual(clients[reader], "v1");
        String readerAz = cluster.node(reader).settings().location().az();

        ReplicationFaults leaderFaults = ReplicationFaults.get(cluster.node(leader).system());
        leaderFaults.holdBack(readerAz);
        put(clients[leader], "v2");
        assertThat(read(clients[reader], true)).as("strong read through node %d", reader)
            .isEqualTo("v2");
        assertThat(read(clients[reader], false)).as("eventual read from the held-back "
            + "follower in %s", readerAz).isEqualTo("v1");

        leaderFaults.release(readerAz);
        put(clients[leader], "v3");
        awaitEventual(clients[reader], "v3");
      } finally {
        for (DynamoTestClient c : clients) {
          if (c != null) {
            c.close();
          }
        }
      }
    }
  }
}
