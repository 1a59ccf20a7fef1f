package fabric.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fabric.dynamodb.v1.AttributeDefinition;
import fabric.dynamodb.v1.AttributeValue;
import fabric.dynamodb.v1.CreateTableRequest;
import fabric.dynamodb.v1.DeleteItemRequest;
import fabric.dynamodb.v1.DescribeTableRequest;
import fabric.dynamodb.v1.GetItemRequest;
import fabric.dynamodb.v1.KeySchemaElement;
import fabric.dynamodb.v1.PutItemRequest;
import fabric.node.testing.DynamoTestClient;
import fabric.node.testing.SqsTestClient;
import fabric.node.testing.TestCluster;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DynamoDB through the gRPC ports of a real 3-AZ cluster: a table created through one node,
 * items written through another and read through the third (strongly and eventually
 * consistent), DynamoDB's error codes for bad input.
 */
class DynamoGrpcTest {
  private static final String ACCOUNT = "777788889999";

  @TempDir
  Path dataDir;

  private static AttributeValue s(String v) {
    return AttributeValue.newBuilder().setS(v).build();
  }

  private static AttributeValue n(String v) {
    return AttributeValue.newBuilder().setN(v).build();
  }

  private static void awsCode(Runnable call, String code, String message) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(SqsTestClient.awsCode(e)).isEqualTo(code);
      assertThat(e.getStatus().getDescription()).contains(message);
    });
  }

  @Test
  void tablesAndItemsAcrossNodesWithDynamoDbsErrors() throws Exception {
    try (TestCluster cluster = TestCluster.start(dataDir);
        var a = new DynamoTestClient("127.0.0.1", cluster.node(0).grpcPort(), ACCOUNT);
        var b = new DynamoTestClient("127.0.0.1", cluster.node(1).grpcPort(), ACCOUNT);
        var c = new DynamoTestClient("127.0.0.1", cluster.node(2).grpcPort(), ACCOUNT)) {
      CreateTableRequest create = CreateTableRequest.newBuilder().setTableName("orders")
          .addAttributeDefinitions(AttributeDefinition.newBuilder().setAttributeName("pk")
              .setAttributeType("S"))
          .addAttributeDefinitions(AttributeDefinition.newBuilder().setAttributeName("sk")
              .setAttributeType("N"))
          .addKeySchema(KeySchemaElement.newBuilder().setAttributeName("pk")
              .setKeyType("HASH"))
          .addKeySchema(KeySchemaElement.newBuilder().setAttributeName("sk")
              .setKeyType("RANGE"))
          .setBillingMode("PAY_PER_REQUEST").build();
      var created = a.blocking().createTable(create).getTableDescription();
      assertThat(created.getTableStatus()).isEqualTo("CREATING");
      assertThat(created.getTableArn())
          .isEqualTo("arn:aws:dynamodb:us-east-1:" + ACCOUNT + ":table/orders");
      assertThat(b.blocking().describeTable(DescribeTableRequest.newBuilder()
          .setTableName("orders").build()).getTable().getTableStatus()).isEqualTo("ACTIVE");
      awsCode(() -> c.blocking().createTable(create), "ResourceInUseException",
          "Table already exists: orders");
      b.blocking().createTable(create.toBuilder().setTableName("audit").build());
      var firstPage = c.blocking().listTables(fabric.dynamodb.v1.ListTablesRequest.newBuilder()
          .setLimit(1).build());
      assertThat(firstPage.getTableNamesList()).containsExactly("audit");
      assertThat(c.blocking().listTables(fabric.dynamodb.v1.ListTablesRequest.newBuilder()
          .setExclusiveStartTableName(firstPage.getLastEvaluatedTableName()).build())
          .getTableNamesList()).containsExactly("orders");

      b.blocking().putItem(PutItemRequest.newBuilder().setTableName("orders")
          .putItem("pk", s("customer#1")).putItem("sk", n("42"))
          .putItem("total", n("99.90")).build());
      var got = c.blocking().getItem(GetItemRequest.newBuilder().setTableName("orders")
          .putKey("pk", s("customer#1")).putKey("sk", n("42.0")).setConsistentRead(true)
          .build());
      assertThat(got.getItem().getAttributesMap()).containsEntry("total", n("99.9"));
      // An eventually consistent read is served by the reading node's AZ follower: it
      // catches up shortly after the write.
      boolean seen = false;
      for (int i = 0; i < 100 && !seen; i++) {
        seen = a.blocking().getItem(GetItemRequest.newBuilder().setTableName("orders")
            .putKey("pk", s("customer#1")).putKey("sk", n("42")).build()).hasItem();
        Thread.sleep(100);
      }
      assertThat(seen).as("the follower caught up").isTrue();

      var deleted = a.blocking().deleteItem(DeleteItemRequest.newBuilder()
          .setTableName("orders").putKey("pk", s("customer#1")).putKey("sk", n("42"))
          .setReturnValues("ALL_OLD").build());
      assertThat(deleted.getAttributesMap()).containsEntry("total", n("99.9"));
      assertThat(b.blocking().getItem(GetItemRequest.newBuilder().setTableName("orders")
          .putKey("pk", s("customer#1")).putKey("sk", n("42")).setConsistentRead(true)
          .build()).hasItem()).isFalse();

      // Scan: pages of 10 return every item once; four parallel segments split them.
      for (int i = 0; i < 25; i++) {
        c.blocking().putItem(PutItemRequest.newBuilder().setTableName("orders")
            .putItem("pk", s("p" + i)).putItem("sk", n(Integer.toString(i))).build());
      }
      java.util.Set<String> scanned = new java.util.HashSet<>();
      int pages = 0;
      Map<String, AttributeValue> start = Map.of();
      do {
        var page = a.blocking().scan(fabric.dynamodb.v1.ScanRequest.newBuilder()
            .setTableName("orders").setLimit(10).putAllExclusiveStartKey(start)
            .setConsistentRead(true).build());
        page.getItemsList().forEach(item -> assertThat(scanned.add(
            item.getAttributesMap().get("pk").getS())).as("scanned once").isTrue());
        start = page.getLastEvaluatedKeyMap();
        pages++;
      } while (!start.isEmpty() && pages < 10);
      assertThat(scanned).hasSize(25);
      java.util.Set<String> segments = new java.util.HashSet<>();
      for (int segment = 0; segment < 4; segment++) {
        b.blocking().scan(fabric.dynamodb.v1.ScanRequest.newBuilder().setTableName("orders")
            .setSegment(segment).setTotalSegments(4).setConsistentRead(true).build())
            .getItemsList().forEach(item -> assertThat(segments.add(
                item.getAttributesMap().get("pk").getS())).isTrue());
      }
      assertThat(segments).isEqualTo(scanned);
      assertThat(b.blocking().scan(fabric.dynamodb.v1.ScanRequest.newBuilder()
          .setTableName("orders").setSelect("COUNT").setConsistentRead(true).build())
          .getCount()).isEqualTo(25);
      awsCode(() -> b.blocking().scan(fabric.dynamodb.v1.ScanRequest.newBuilder()
          .setTableName("orders").setSegment(4).setTotalSegments(4).build()),
          "ValidationException", "Segment: 4 is not less than TotalSegments: 4");

      // Batches: writes fan out to partitions; a duplicate key fails the whole batch.
      var put = fabric.dynamodb.v1.WriteRequest.newBuilder().setPutRequestItem(
          fabric.dynamodb.v1.Item.newBuilder().putAttributes("pk", s("batch"))
              .putAttributes("sk", n("1")).putAttributes("v", s("x")));
      var delete = fabric.dynamodb.v1.WriteRequest.newBuilder().setDeleteRequestKey(
          fabric.dynamodb.v1.Item.newBuilder().putAttributes("pk", s("p0"))
              .putAttributes("sk", n("0")));
      var written = a.blocking().batchWriteItem(fabric.dynamodb.v1.BatchWriteItemRequest
          .newBuilder().putRequestItems("orders", fabric.dynamodb.v1.WriteRequestList
              .newBuilder().addRequests(put).addRequests(delete).build()).build());
      assertThat(written.getUnprocessedItemsMap()).isEmpty();
      var got2 = b.blocking().batchGetItem(fabric.dynamodb.v1.BatchGetItemRequest.newBuilder()
          .putRequestItems("orders", fabric.dynamodb.v1.KeysAndAttributes.newBuilder()
              .setConsistentRead(true)
              .addKeys(fabric.dynamodb.v1.Item.newBuilder().putAttributes("pk", s("batch"))
                  .putAttributes("sk", n("1")))
              .addKeys(fabric.dynamodb.v1.Item.newBuilder().putAttributes("pk", s("p0"))
                  .putAttributes("sk", n("0"))).build()).build());
      assertThat(got2.getResponsesMap().get("orders").getItemsList())
          .extracting(i -> i.getAttributesMap().get("v")).containsExactly(s("x"));
      awsCode(() -> a.blocking().batchWriteItem(fabric.dynamodb.v1.BatchWriteItemRequest
          .newBuilder().putRequestItems("orders", fabric.dynamodb.v1.WriteRequestList
              .newBuilder().addRequests(put).addRequests(put).build()).build()),
          "ValidationException", "Provided list of item keys contains duplicates");

      // Capacity as the seed defines it: 1 WCU per KB written, 1 RCU per 4 KB read
      // strongly, half that eventually.
      assertThat(a.blocking().putItem(PutItemRequest.newBuilder().setTableName("orders")
          .putItem("pk", s("cap")).putItem("sk", n("1")).putItem("blob", s("x".repeat(1500)))
          .setReturnConsumedCapacity("TOTAL").build()).getConsumedCapacity()
          .getCapacityUnits()).isEqualTo(2.0);
      assertThat(b.blocking().getItem(GetItemRequest.newBuilder().setTableName("orders")
          .putKey("pk", s("cap")).putKey("sk", n("1")).setReturnConsumedCapacity("TOTAL")
          .build()).getConsumedCapacity().getCapacityUnits()).isEqualTo(0.5);

      // TTL: an item whose expiresAt passed is deleted by the partition's sweep.
      c.blocking().updateTimeToLive(fabric.dynamodb.v1.UpdateTimeToLiveRequest.newBuilder()
          .setTableName("orders").setTimeToLiveSpecification(fabric.dynamodb.v1
              .TimeToLiveSpecification.newBuilder().setEnabled(true)
              .setAttributeName("expiresAt")).build());
      a.blocking().putItem(PutItemRequest.newBuilder().setTableName("orders")
          .putItem("pk", s("ttl")).putItem("sk", n("1"))
          .putItem("expiresAt", n(Long.toString(System.currentTimeMillis() / 1000 - 60)))
          .build());
      boolean expired = false;
      for (int i = 0; i < 600 && !expired; i++) {
        expired = !b.blocking().getItem(GetItemRequest.newBuilder().setTableName("orders")
            .putKey("pk", s("ttl")).putKey("sk", n("1")).setConsistentRead(true).build())
            .hasItem();
        Thread.sleep(100);
      }
      assertThat(expired).as("swept within a minute").isTrue();

      // Expressions: conditional writes, updates, queries, filters; DynamoDB's refusals.
      a.blocking().putItem(PutItemRequest.newBuilder().setTableName("orders")
          .putItem("pk", s("c#1")).putItem("sk", n("1")).putItem("status", s("new"))
          .setConditionExpression("attribute_not_exists(pk)").build());
      awsCode(() -> b.blocking().putItem(PutItemRequest.newBuilder().setTableName("orders")
              .putItem("pk", s("c#1")).putItem("sk", n("1"))
              .setConditionExpression("attribute_not_exists(pk)").build()),
          "ConditionalCheckFailedException", "The conditional request failed");
      var updated = c.blocking().updateItem(fabric.dynamodb.v1.UpdateItemRequest.newBuilder()
          .setTableName("orders").putKey("pk", s("c#1")).putKey("sk", n("1"))
          .setUpdateExpression("SET #s = :paid ADD visits :one")
          .setConditionExpression("#s = :new")
          .putExpressionAttributeNames("#s", "status")
          .putExpressionAttributeValues(":paid", s("paid"))
          .putExpressionAttributeValues(":new", s("new"))
          .putExpressionAttributeValues(":one", n("1"))
          .setReturnValues("UPDATED_NEW").build());
      assertThat(updated.getAttributesMap()).containsEntry("status", s("paid"))
          .containsEntry("visits", n("1"));
      awsCode(() -> c.blocking().updateItem(fabric.dynamodb.v1.UpdateItemRequest.newBuilder()
              .setTableName("orders").putKey("pk", s("c#1")).putKey("sk", n("1"))
              .setUpdateExpression("SET status = :x")
              .putExpressionAttributeValues(":x", s("x")).build()),
          "ValidationException", "Attribute name is a reserved keyword; reserved keyword: status");
      awsCode(() -> c.blocking().updateItem(fabric.dynamodb.v1.UpdateItemRequest.newBuilder()
              .setTableName("orders").putKey("pk", s("c#1")).putKey("sk", n("1"))
              .setUpdateExpression("SET visits = :x")
              .putExpressionAttributeValues(":x", n("2"))
              .putExpressionAttributeValues(":unused", n("3")).build()),
          "ValidationException", "unused in expressions: keys: {:unused}");
      for (int i = 2; i <= 5; i++) {
        b.blocking().putItem(PutItemRequest.newBuilder().setTableName("orders")
            .putItem("pk", s("c#1")).putItem("sk", n(Integer.toString(i))).build());
      }
      var newest = a.blocking().query(fabric.dynamodb.v1.QueryRequest.newBuilder()
          .setTableName("orders").setKeyConditionExpression("pk = :p AND sk >= :from")
          .putExpressionAttributeValues(":p", s("c#1"))
          .putExpressionAttributeValues(":from", n("2"))
          .setScanIndexForward(false).setLimit(3).setConsistentRead(true).build());
      assertThat(newest.getItemsList()).extracting(i -> i.getAttributesMap().get("sk"))
          .containsExactly(n("5"), n("4"), n("3"));
      assertThat(newest.getLastEvaluatedKeyMap()).containsEntry("sk", n("3"));
      var paid = b.blocking().scan(fabric.dynamodb.v1.ScanRequest.newBuilder()
          .setTableName("orders").setFilterExpression("#s = :paid")
          .putExpressionAttributeNames("#s", "status")
          .putExpressionAttributeValues(":paid", s("paid"))
          .setProjectionExpression("pk, visits").setConsistentRead(true).build());
      assertThat(paid.getItemsList()).singleElement().satisfies(i -> assertThat(
          i.getAttributesMap()).containsOnlyKeys("pk", "visits"));
      assertThat(paid.getScannedCount()).isGreaterThan(paid.getCount());

      // A local secondary index: the same partition key, another sort attribute.
      a.blocking().createTable(create.toBuilder().setTableName("priced")
          .addAttributeDefinitions(AttributeDefinition.newBuilder().setAttributeName("price")
              .setAttributeType("N"))
          .addLocalSecondaryIndexes(fabric.dynamodb.v1.LocalSecondaryIndex.newBuilder()
              .setIndexName("byPrice")
              .addKeySchema(KeySchemaElement.newBuilder().setAttributeName("pk")
                  .setKeyType("HASH"))
              .addKeySchema(KeySchemaElement.newBuilder().setAttributeName("price")
                  .setKeyType("RANGE"))
              .setProjection(fabric.dynamodb.v1.Projection.newBuilder()
                  .setProjectionType("ALL"))).build());
      String[][] rows = {{"1", "30"}, {"2", "10"}, {"3", "20"}};
      for (String[] row : rows) {
        b.blocking().putItem(PutItemRequest.newBuilder().setTableName("priced")
            .putItem("pk", s("shop")).putItem("sk", n(row[0])).putItem("price", n(row[1]))
            .build());
      }
      assertThat(a.blocking().describeTable(DescribeTableRequest.newBuilder()
          .setTableName("priced").build()).getTable().getItemCount()).isEqualTo(3);
      assertThat(c.blocking().query(fabric.dynamodb.v1.QueryRequest.newBuilder()
          .setTableName("priced").setIndexName("byPrice").setKeyConditionExpression("pk = :p")
          .putExpressionAttributeValues(":p", s("shop")).setConsistentRead(true).build())
          .getItemsList()).extracting(i -> i.getAttributesMap().get("sk"))
          .containsExactly(n("2"), n("3"), n("1"));
      awsCode(() -> c.blocking().query(fabric.dynamodb.v1.QueryRequest.newBuilder()
              .setTableName("priced").setIndexName("nope").setKeyConditionExpression("pk = :p")
              .putExpressionAttributeValues(":p", s("shop")).build()), "ValidationException",
          "The table does not have the specified index: nope");

      awsCode(() -> c.blocking().putItem(PutItemRequest.newBuilder().setTableName("orders")
              .putItem("pk", n("1")).putItem("sk", n("1")).build()), "ValidationException",
          "Type mismatch for key pk expected: S actual: N");
      awsCode(() -> c.blocking().putItem(PutItemRequest.newBuilder().setTableName("orders")
              .putItem("pk", s("x")).putItem("sk", n("1".repeat(39))).build()),
          "ValidationException", "38 significant digits");
      awsCode(() -> c.blocking().getItem(GetItemRequest.newBuilder().setTableName("missing")
              .putKey("pk", s("x")).build()), "ResourceNotFoundException",
          "Table: missing not found");
      awsCode(() -> c.blocking().createTable(create.toBuilder().setTableName("x").build()),
          "ValidationException", "Member must have length greater than or equal to 3");
    }
  }
}
