package fabric.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fabric.dynamodb.v1.AttributeDefinition;
import fabric.dynamodb.v1.AttributeValue;
import fabric.dynamodb.v1.CreateTableRequest;
import fabric.dynamodb.v1.DeleteItemRequest;
import fabric.dynamodb.v1.DescribeTableRequest;
import fabric.dynamodb.v1.GlobalSecondaryIndex;
import fabric.dynamodb.v1.GlobalSecondaryIndexUpdate;
import fabric.dynamodb.v1.IndexDescription;
import fabric.dynamodb.v1.Item;
import fabric.dynamodb.v1.KeySchemaElement;
import fabric.dynamodb.v1.LocalSecondaryIndex;
import fabric.dynamodb.v1.Projection;
import fabric.dynamodb.v1.PutItemRequest;
import fabric.dynamodb.v1.QueryRequest;
import fabric.dynamodb.v1.ScanRequest;
import fabric.dynamodb.v1.TableDescription;
import fabric.dynamodb.v1.UpdateItemRequest;
import fabric.dynamodb.v1.UpdateTableRequest;
import fabric.node.testing.DynamoTestClient;
import fabric.node.testing.SqsTestClient;
import fabric.node.testing.TestCluster;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Global secondary indexes on a real 3-node cluster: fed asynchronously from the table (so
 * every check polls until the index caught up, with a deadline), sparse, projected, keyed by
 * their own non-unique key; UpdateTable adds one (backfill, CREATING then ACTIVE) or drops
 * one; strong reads and bad definitions refused with DynamoDB's errors.
 */
class DynamoGlobalIndexTest {
  private static final String ACCOUNT = "246824682468";
  /** How long an index may trail its table here (a feed round every 200 ms; a cluster
   *  under two other builds is slow). */
  private static final long CATCH_UP_MILLIS = 30_000;

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

  private static AttributeDefinition def(String name, String type) {
    return AttributeDefinition.newBuilder().setAttributeName(name).setAttributeType(type)
        .build();
  }

  private static KeySchemaElement key(String name, String type) {
    return KeySchemaElement.newBuilder().setAttributeName(name).setKeyType(type).build();
  }

  private static GlobalSecondaryIndex gsi(String name, String hash, String range,
      String projection, String... include) {
    var b = GlobalSecondaryIndex.newBuilder().setIndexName(name).addKeySchema(key(hash, "HASH"))
        .setProjection(Projection.newBuilder().setProjectionType(projection)
            .addAllNonKeyAttributes(List.of(include)));
    if (range != null) {
      b.addKeySchema(key(range, "RANGE"));
    }
    return b.build();
  }

  private static CreateTableRequest.Builder table(String name) {
    return CreateTableRequest.newBuilder().setTableName(name).setBillingMode("PAY_PER_REQUEST")
        .addAttributeDefinitions(def("pk", "S")).addKeySchema(key("pk", "HASH"));
  }

  /** Polls {@code read} until {@code done} holds or the deadline passes (then the last
   *  value, for the assertion that follows to show it). */
  private static <T> T eventually(Supplier<T> read, Predicate<T> done) throws Exception {
    long deadline = System.currentTimeMillis() + CATCH_UP_MILLIS;
    T last = read.get();
    while (!done.test(last) && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
      last = read.get();
    }
    return last;
  }

  private static List<String> pks(List<Item> items) {
    return items.stream().map(i -> i.getAttributesMap().get("pk").getS()).toList();
  }

  private static QueryRequest byCity(String city) {
    return QueryRequest.newBuilder().setTableName("people").setIndexName("byCity")
        .setKeyConditionExpression("city = :c").putExpressionAttributeValues(":c", s(city))
        .build();
  }

  private static IndexDescription index(TableDescription t, String name) {
    return t.getGlobalSecondaryIndexesList().stream()
        .filter(i -> i.getIndexName().equals(name)).findFirst().orElse(null);
  }

  private static void put(DynamoTestClient c, String pk, Object... nameValues) {
    var b = PutItemRequest.newBuilder().setTableName("people").putItem("pk", s(pk));
    for (int i = 0; i < nameValues.length; i += 2) {
      b.putItem((String) nameValues[i], (AttributeValue) nameValues[i + 1]);
    }
    c.blocking().putItem(b.build());
  }

  @Test
  void globalIndexesFollowTheirTableEventually() throws Exception {
    try (TestCluster cluster = TestCluster.start(dataDir);
        var a = new DynamoTestClient("127.0.0.1", cluster.node(0).grpcPort(), ACCOUNT);
        var b = new DynamoTestClient("127.0.0.1", cluster.node(1).grpcPort(), ACCOUNT);
        var c = new DynamoTestClient("127.0.0.1", cluster.node(2).grpcPort(), ACCOUNT)) {
      // CreateTable's rules for global indexes.
      awsCode(() -> a.blocking().createTable(table("bad").addGlobalSecondaryIndexes(
          gsi("byCity", "city", null, "ALL")).build()), "ValidationException",
          "Some index key attributes are not defined in AttributeDefinitions");
      awsCode(() -> a.blocking().createTable(table("bad").addAttributeDefinitions(
          def("city", "S")).addGlobalSecondaryIndexes(gsi("byCity", "city", null, "ALL",
              "x")).build()), "ValidationException",
          "ProjectionType is ALL, but NonKeyAttributes is specified");
      awsCode(() -> a.blocking().createTable(CreateTableRequest.newBuilder()
          .setTableName("bad").setBillingMode("PAY_PER_REQUEST")
          .addAttributeDefinitions(def("pk", "S")).addAttributeDefinitions(def("sk", "S"))
          .addAttributeDefinitions(def("city", "S"))
          .addKeySchema(key("pk", "HASH")).addKeySchema(key("sk", "RANGE"))
          .addLocalSecondaryIndexes(LocalSecondaryIndex.newBuilder().setIndexName("idx")
              .addKeySchema(key("pk", "HASH")).addKeySchema(key("city", "RANGE"))
              .setProjection(Projection.newBuilder().setProjectionType("ALL")))
          .addGlobalSecondaryIndexes(gsi("idx", "city", null, "ALL")).build()),
          "ValidationException", "Duplicate index name: idx");
      var tooMany = table("bad").addAttributeDefinitions(def("city", "S"));
      IntStream.range(0, 21).forEach(i -> tooMany.addGlobalSecondaryIndexes(
          gsi("g" + i + "xx", "city", null, "KEYS_ONLY")));
      awsCode(() -> a.blocking().createTable(tooMany.build()), "ValidationException",
          "GlobalSecondaryIndex count exceeds the per-table limit of 20");
      String[] sixty = IntStream.range(0, 60).mapToObj(i -> "a" + i).toArray(String[]::new);
      awsCode(() -> a.blocking().createTable(table("bad").addAttributeDefinitions(
          def("city", "S")).addGlobalSecondaryIndexes(gsi("one", "city", null, "INCLUDE",
              sixty)).addGlobalSecondaryIndexes(gsi("two", "city", null, "INCLUDE", sixty))
          .build()), "ValidationException", "exceeds the limit of 100");

      TableDescription created = a.blocking().createTable(table("people")
          .addAttributeDefinitions(def("city", "S")).addAttributeDefinitions(def("age", "N"))
          .addAttributeDefinitions(def("team", "S"))
          .addGlobalSecondaryIndexes(gsi("byCity", "city", "age", "KEYS_ONLY"))
          .addGlobalSecondaryIndexes(gsi("byTeam", "team", null, "INCLUDE", "email"))
          .build()).getTableDescription();
      assertThat(created.getGlobalSecondaryIndexesList()).hasSize(2);
      TableDescription described = b.blocking().describeTable(DescribeTableRequest.newBuilder()
          .setTableName("people").build()).getTable();
      IndexDescription byCity = index(described, "byCity");
      assertThat(byCity.getIndexStatus()).isEqualTo("ACTIVE");
      assertThat(byCity.getProjection().getProjectionType()).isEqualTo("KEYS_ONLY");
      assertThat(byCity.getKeySchemaList()).containsExactly(key("city", "HASH"),
          key("age", "RANGE"));
      assertThat(index(described, "byTeam").getProjection().getNonKeyAttributesList())
          .containsExactly("email");

      put(a, "p1", "city", s("Oslo"), "age", n("30"), "team", s("red"), "email", s("p1@x"),
          "note", s("n1"));
      put(b, "p2", "city", s("Oslo"), "age", n("20"), "team", s("red"), "note", s("n2"));
      put(c, "p3", "city", s("Rome"), "age", n("40"), "team", s("blue"));
      put(a, "p4", "note", s("no city: in no index"));
      put(b, "p5", "city", s("Oslo"), "team", s("blue")); // no age: not in byCity

      // An index key attribute may be absent, not of another type nor empty.
      awsCode(() -> put(a, "bad", "city", n("7")), "ValidationException",
          "Type mismatch for Index Key city Expected: S Actual: N IndexName: byCity");
      awsCode(() -> put(b, "bad", "team", s("")), "ValidationException",
          "IndexName: byTeam, IndexKey: team");
      // An UpdateItem is checked on the item it would leave, and writes nothing if refused.
      awsCode(() -> c.blocking().updateItem(UpdateItemRequest.newBuilder()
          .setTableName("people").putKey("pk", s("p3")).setUpdateExpression("SET city = :n")
          .putExpressionAttributeValues(":n", n("7")).build()), "ValidationException",
          "Type mismatch for Index Key city Expected: S Actual: N IndexName: byCity");

      var oslo = eventually(() -> c.blocking().query(byCity("Oslo")).getItemsList(),
          items -> items.size() == 2);
      assertThat(pks(oslo)).containsExactly("p2", "p1"); // by age
      // KEYS_ONLY: the table's and the index's keys only.
      assertThat(oslo.get(0).getAttributesMap()).containsOnlyKeys("pk", "city", "age");
      var red = eventually(() -> a.blocking().query(QueryRequest.newBuilder()
          .setTableName("people").setIndexName("byTeam").setKeyConditionExpression("team = :t")
          .putExpressionAttributeValues(":t", s("red")).build()).getItemsList(),
          items -> items.size() == 2);
      assertThat(red).hasSize(2);
      assertThat(red).allSatisfy(i -> assertThat(i.getAttributesMap().keySet())
          .isSubsetOf("pk", "team", "email").doesNotContain("note", "city"));
      assertThat(red.stream().filter(i -> i.getAttributesMap().containsKey("email")))
          .hasSize(1);
      var blue = eventually(() -> b.blocking().query(QueryRequest.newBuilder()
          .setTableName("people").setIndexName("byTeam").setKeyConditionExpression("team = :t")
          .putExpressionAttributeValues(":t", s("blue")).build()).getItemsList(),
          items -> items.size() == 2);
      assertThat(pks(blue)).containsExactlyInAnyOrder("p3", "p5");

      awsCode(() -> a.blocking().query(byCity("Oslo").toBuilder().setConsistentRead(true)
          .build()), "ValidationException",
          "Consistent reads are not supported on global secondary indexes");
      awsCode(() -> a.blocking().scan(ScanRequest.newBuilder().setTableName("people")
          .setIndexName("byCity").setConsistentRead(true).build()), "ValidationException",
          "Consistent reads are not supported on global secondary indexes");
      awsCode(() -> a.blocking().query(byCity("Oslo").toBuilder().setSelect("ALL_ATTRIBUTES")
          .build()), "ValidationException", "Select type ALL_ATTRIBUTES is not supported for "
          + "global secondary index byCity because its projection type is not ALL");
      awsCode(() -> a.blocking().query(byCity("Oslo").toBuilder().setIndexName("nope")
          .build()), "ValidationException", "The table does not have the specified index");

      // An update moves p1 to another index key; a delete takes p2 out.
      a.blocking().updateItem(UpdateItemRequest.newBuilder().setTableName("people")
          .putKey("pk", s("p1")).setUpdateExpression("SET city = :r")
          .putExpressionAttributeValues(":r", s("Rome")).build());
      c.blocking().deleteItem(DeleteItemRequest.newBuilder().setTableName("people")
          .putKey("pk", s("p2")).build());
      var rome = eventually(() -> b.blocking().query(byCity("Rome")).getItemsList(),
          items -> items.size() == 2);
      assertThat(pks(rome)).containsExactly("p1", "p3"); // 30, 40
      assertThat(eventually(() -> b.blocking().query(byCity("Oslo")).getItemsList(),
          List::isEmpty)).isEmpty();
      var scanned = c.blocking().scan(ScanRequest.newBuilder().setTableName("people")
          .setIndexName("byCity").build());
      assertThat(pks(scanned.getItemsList())).containsExactlyInAnyOrder("p1", "p3");
      assertThat(eventually(() -> index(a.blocking().describeTable(DescribeTableRequest
          .newBuilder().setTableName("people").build()).getTable(), "byCity").getItemCount(),
          count -> count == 2)).isEqualTo(2);

      // UpdateTable adds an index over the items already there: CREATING, then ACTIVE.
      TableDescription updating = b.blocking().updateTable(UpdateTableRequest.newBuilder()
          .setTableName("people").addAttributeDefinitions(def("email", "S"))
          .addGlobalSecondaryIndexUpdates(GlobalSecondaryIndexUpdate.newBuilder()
              .setCreate(gsi("byEmail", "email", null, "ALL"))).build()).getTableDescription();
      assertThat(index(updating, "byEmail").getIndexStatus()).isIn("CREATING", "ACTIVE");
      IndexDescription byEmail = eventually(() -> index(c.blocking().describeTable(
          DescribeTableRequest.newBuilder().setTableName("people").build()).getTable(),
          "byEmail"), i -> i.getIndexStatus().equals("ACTIVE"));
      assertThat(byEmail.getIndexStatus()).isEqualTo("ACTIVE");
      assertThat(byEmail.getBackfilling()).isFalse();
      var mail = a.blocking().query(QueryRequest.newBuilder().setTableName("people")
          .setIndexName("byEmail").setKeyConditionExpression("email = :e")
          .putExpressionAttributeValues(":e", s("p1@x")).build()).getItemsList();
      assertThat(pks(mail)).containsExactly("p1");
      assertThat(mail.get(0).getAttributesMap()).containsKey("note"); // ALL
      awsCode(() -> b.blocking().updateTable(UpdateTableRequest.newBuilder()
          .setTableName("people").addGlobalSecondaryIndexUpdates(GlobalSecondaryIndexUpdate
              .newBuilder().setCreate(gsi("byEmail", "email", null, "ALL"))).build()),
          "ValidationException", "Attempting to create an index which already exists");

      // ... and drops one.
      TableDescription dropped = c.blocking().updateTable(UpdateTableRequest.newBuilder()
          .setTableName("people").addGlobalSecondaryIndexUpdates(GlobalSecondaryIndexUpdate
              .newBuilder().setDeleteIndexName("byTeam")).build()).getTableDescription();
      assertThat(index(dropped, "byTeam")).isNull();
      assertThat(dropped.getAttributeDefinitionsList()).extracting(
          AttributeDefinition::getAttributeName).doesNotContain("team");
      awsCode(() -> a.blocking().query(QueryRequest.newBuilder().setTableName("people")
          .setIndexName("byTeam").setKeyConditionExpression("team = :t")
          .putExpressionAttributeValues(":t", s("red")).build()), "ValidationException",
          "The table does not have the specified index: byTeam");
      awsCode(() -> a.blocking().updateTable(UpdateTableRequest.newBuilder()
          .setTableName("people").addGlobalSecondaryIndexUpdates(GlobalSecondaryIndexUpdate
              .newBuilder().setDeleteIndexName("byTeam")).build()),
          "ResourceNotFoundException", "byTeam");

      // Writes after the backfill reach the new index too.
      put(c, "p6", "email", s("p6@x"));
      List<String> seen = new ArrayList<>();
      eventually(() -> {
        seen.clear();
        seen.addAll(pks(b.blocking().scan(ScanRequest.newBuilder().setTableName("people")
            .setIndexName("byEmail").build()).getItemsList()));
        return seen.size();
      }, size -> size == 2);
      assertThat(seen).containsExactlyInAnyOrder("p1", "p6");

      // A table deleted and created again under its name starts with empty indexes.
      a.blocking().deleteTable(fabric.dynamodb.v1.DeleteTableRequest.newBuilder()
          .setTableName("people").build());
      eventually(() -> {
        try {
          c.blocking().createTable(table("people").addAttributeDefinitions(def("city", "S"))
              .addAttributeDefinitions(def("age", "N"))
              .addGlobalSecondaryIndexes(gsi("byCity", "city", "age", "KEYS_ONLY")).build());
          return true;
        } catch (StatusRuntimeException e) {
          return false; // still being deleted
        }
      }, created2 -> created2);
      assertThat(eventually(() -> {
        try {
          return b.blocking().query(byCity("Rome")).getItemsCount();
        } catch (StatusRuntimeException e) {
          return -1; // the new table is not ACTIVE yet
        }
      }, count -> count == 0)).isZero();
      put(a, "p7", "city", s("Rome"), "age", n("1"));
      assertThat(pks(eventually(() -> b.blocking().query(byCity("Rome")).getItemsList(),
          items -> items.size() == 1))).containsExactly("p7");
    }
  }

  /**
   * A table whose partition splits (64 KiB here) while its index is fed: the index follows
   * the table's partition map (the parent forgotten, the children read from their start),
   * so every item is in it exactly once, and later deletes still reach it.
   */
  @Test
  void anIndexFollowsItsTableAcrossPartitionSplits() throws Exception {
    try (TestCluster cluster = TestCluster.start(dataDir,
        java.util.Map.of("fabric.dynamo.partition-split-size", "64k"));
        var a = new DynamoTestClient("127.0.0.1", cluster.node(0).grpcPort(), ACCOUNT);
        var b = new DynamoTestClient("127.0.0.1", cluster.node(1).grpcPort(), ACCOUNT)) {
      a.blocking().createTable(table("people").addAttributeDefinitions(def("group", "S"))
          .addAttributeDefinitions(def("rank", "N"))
          .addGlobalSecondaryIndexes(gsi("byGroup", "group", "rank", "KEYS_ONLY")).build());
      String body = "x".repeat(1_000);
      int items = 200;
      for (int i = 0; i < items; i++) {
        for (int attempt = 0; ; attempt++) {
          try {
            put(i % 2 == 0 ? a : b, "p" + i, "group", s("g" + (i % 4)), "rank",
                n(Integer.toString(i)), "body", s(body));
            break;
          } catch (StatusRuntimeException e) {
            if (attempt > 50) {
              throw e;
            }
            Thread.sleep(100); // the partition is being split: retry, as an SDK would
          }
        }
      }
      Supplier<List<String>> all = () -> {
        List<String> out = new ArrayList<>();
        for (int g = 0; g < 4; g++) {
          java.util.Map<String, AttributeValue> start = java.util.Map.of();
          do {
            var page = b.blocking().query(QueryRequest.newBuilder().setTableName("people")
                .setIndexName("byGroup").setKeyConditionExpression("#g = :g")
                .putExpressionAttributeNames("#g", "group")
                .putExpressionAttributeValues(":g", s("g" + g))
                .putAllExclusiveStartKey(start).setLimit(37).build());
            out.addAll(pks(page.getItemsList()));
            start = page.getLastEvaluatedKeyMap();
          } while (!start.isEmpty());
        }
        return out;
      };
      List<String> indexed = eventually(all, l -> l.size() == items);
      assertThat(indexed).hasSize(items).doesNotHaveDuplicates();
      var parts = a.blocking().describeTable(DescribeTableRequest.newBuilder()
          .setTableName("people").build()).getTable();
      assertThat(parts.getTableSizeBytes()).isGreaterThan(64 * 1024);
      for (int i = 0; i < items; i += 10) {
        a.blocking().deleteItem(DeleteItemRequest.newBuilder().setTableName("people")
            .putKey("pk", s("p" + i)).build());
      }
      List<String> left = eventually(all, l -> l.size() == items - items / 10);
      assertThat(left).hasSize(items - items / 10).doesNotContain("p0", "p10", "p190");
    }
  }

  /**
   * The node leading an index crashes: its feeding stops with it; the next table lookup on
   * a surviving node wakes the index elsewhere, which goes on from its durable cursors, so
   * items written before and after the crash all reach it.
   */
  @Test
  void anIndexCatchesUpAfterTheCrashOfItsLeader() throws Exception {
    try (TestCluster cluster = TestCluster.start(dataDir)) {
      DynamoTestClient[] clients = new DynamoTestClient[3];
      for (int i = 0; i < 3; i++) {
        clients[i] = new DynamoTestClient("127.0.0.1", cluster.node(i).grpcPort(), ACCOUNT);
      }
      try {
        TableDescription t = clients[0].blocking().createTable(table("people")
            .addAttributeDefinitions(def("city", "S"))
            .addGlobalSecondaryIndexes(gsi("byCity", "city", null, "ALL")).build())
            .getTableDescription();
        put(clients[0], "before", "city", s("Oslo"));
        String indexId = ACCOUNT + "/us-east-1/people/" + t.getTableId() + "/byCity";
        int leader = cluster.leaderOf(0, "TableGlobalIndex", indexId).orElseThrow();
        DynamoTestClient survivor = clients[(leader + 1) % 3];
        assertThat(eventually(() -> survivor.blocking().query(byCity("Oslo")).getItemsCount(),
            count -> count == 1)).isEqualTo(1);
        cluster.crash(leader);
        List<String> written = new ArrayList<>(List.of("before"));
        for (int i = 0; written.size() < 21 && i < 2_000; i++) {
          try {
            put(survivor, "after-" + i, "city", s("Oslo"));
            written.add("after-" + i);
          } catch (StatusRuntimeException e) {
            Thread.sleep(100); // unavailable during the failover: go on, as a client would
          }
        }
        assertThat(written).hasSize(21);
        // A put that failed may still have been written (its answer lost in the failover):
        // the index must show exactly what the table holds, which includes every put that
        // was acknowledged.
        List<String> inTable = pks(survivor.blocking().scan(ScanRequest.newBuilder()
            .setTableName("people").setConsistentRead(true).build()).getItemsList());
        assertThat(inTable).containsAll(written);
        List<String> indexed = new ArrayList<>();
        eventually(() -> {
          indexed.clear();
          try {
            indexed.addAll(pks(survivor.blocking().query(byCity("Oslo")).getItemsList()));
          } catch (StatusRuntimeException e) {
            // the index is moving to a surviving node: ask again
          }
          return indexed.size();
        }, size -> size == inTable.size());
        assertThat(indexed).containsExactlyInAnyOrderElementsOf(inTable);
      } finally {
        for (DynamoTestClient c : clients) {
          c.close();
        }
      }
    }
  }
}
