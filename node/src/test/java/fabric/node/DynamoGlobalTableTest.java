package fabric.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fabric.core.entity.EntityClient;
import fabric.core.topology.AzDirectory;
import fabric.dynamo.global.ReplicaWrite;
import fabric.dynamo.global.Version;
import fabric.dynamo.model.Item;
import fabric.dynamo.model.PrimaryKey;
import fabric.dynamo.partition.PartitionCommand;
import fabric.dynamo.partition.PartitionDefinition;
import fabric.dynamo.partition.PartitionReply;
import fabric.dynamodb.v1.AttributeDefinition;
import fabric.dynamodb.v1.AttributeValue;
import fabric.dynamodb.v1.CreateReplicationGroupMemberAction;
import fabric.dynamodb.v1.CreateTableRequest;
import fabric.dynamodb.v1.DeleteItemRequest;
import fabric.dynamodb.v1.DeleteReplicationGroupMemberAction;
import fabric.dynamodb.v1.DescribeTableRequest;
import fabric.dynamodb.v1.DynamoDBGrpc;
import fabric.dynamodb.v1.GetItemRequest;
import fabric.dynamodb.v1.KeySchemaElement;
import fabric.dynamodb.v1.PutItemRequest;
import fabric.dynamodb.v1.ReplicationGroupUpdate;
import fabric.dynamodb.v1.DescribeStreamRequest;
import fabric.dynamodb.v1.DynamoDBStreamsGrpc;
import fabric.dynamodb.v1.GetRecordsRequest;
import fabric.dynamodb.v1.GetShardIteratorRequest;
import fabric.dynamodb.v1.ListStreamsRequest;
import fabric.dynamodb.v1.Record;
import fabric.dynamodb.v1.StreamSpecification;
import fabric.dynamodb.v1.TableDescription;
import fabric.dynamodb.v1.UpdateTableRequest;
import fabric.gateway.grpc.CallerRegion;
import fabric.node.testing.DynamoTestClient;
import fabric.node.testing.S3TestClient;
import fabric.node.testing.SqsTestClient;
import fabric.node.testing.TestCluster;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Global tables on a real 3-node cluster, regions simulated (the x-amz-region header): a
 * replica added to a table in another region gets its items; writes in either region
 * appear in the other; concurrent conflicting writes converge to one value by last writer
 * wins; a delete replicates and a late older put does not resurrect the item; a removed
 * replica stops receiving and its table goes.
 */
class DynamoGlobalTableTest {
  private static final String ACCOUNT = "123412341234";
  private static final String US = "us-east-1";
  private static final String EU = "eu-west-1";
  private static final String AP = "ap-south-1";
  private static final long DEADLINE_MILLIS = 60_000;

  @TempDir
  Path dataDir;

  private static AttributeValue s(String v) {
    return AttributeValue.newBuilder().setS(v).build();
  }

  /** The client's stub in {@code region} (the header the gateway picks tables by). */
  private static DynamoDBGrpc.DynamoDBBlockingStub in(DynamoTestClient client, String region) {
    Metadata headers = new Metadata();
    headers.put(CallerRegion.REGION_KEY, region);
    return client.blocking().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(
        headers));
  }

  private static void put(DynamoDBGrpc.DynamoDBBlockingStub stub, String id, String v) {
    stub.putItem(PutItemRequest.newBuilder().setTableName("carts").putItem("id", s(id))
        .putItem("v", s(v)).build());
  }

  private static String get(DynamoDBGrpc.DynamoDBBlockingStub stub, String id) {
    var got = stub.getItem(GetItemRequest.newBuilder().setTableName("carts")
        .putKey("id", s(id)).setConsistentRead(true).build());
    return got.hasItem() ? got.getItem().getAttributesMap().get("v").getS() : null;
  }

  /** Polls {@code value} until {@code done} accepts it or the deadline passes. */
  private static <T> T await(Supplier<T> value, java.util.function.Predicate<T> done)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + DEADLINE_MILLIS;
    T v = value.get();
    while (!done.test(v) && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
      v = value.get();
    }
    return v;
  }

  private static TableDescription describe(DynamoDBGrpc.DynamoDBBlockingStub stub) {
    return stub.describeTable(DescribeTableRequest.newBuilder().setTableName("carts").build())
        .getTable();
  }

  private static CreateTableRequest.Builder table(String name) {
    return CreateTableRequest.newBuilder().setTableName(name)
        .setBillingMode("PAY_PER_REQUEST")
        .addAttributeDefinitions(AttributeDefinition.newBuilder().setAttributeName("id")
            .setAttributeType("S"))
        .addKeySchema(KeySchemaElement.newBuilder().setAttributeName("id").setKeyType("HASH"));
  }

  private static UpdateTableRequest addReplica(String table, String region) {
    return UpdateTableRequest.newBuilder().setTableName(table).addReplicaUpdates(
        ReplicationGroupUpdate.newBuilder().setCreate(CreateReplicationGroupMemberAction
            .newBuilder().setRegionName(region))).build();
  }

  @Test
  void replicasConvergeByLastWriterWins() throws Exception {
    try (TestCluster cluster = TestCluster.start(dataDir);
        var a = new DynamoTestClient("127.0.0.1", cluster.node(0).grpcPort(), ACCOUNT);
        var b = new DynamoTestClient("127.0.0.1", cluster.node(1).grpcPort(), ACCOUNT);
        var c = new DynamoTestClient("127.0.0.1", cluster.node(2).grpcPort(), ACCOUNT)) {
      // Without a NEW_AND_OLD_IMAGES stream there is no replica (as AWS).
      a.blocking().createTable(table("plain").build());
      assertThatThrownBy(() -> a.blocking().updateTable(addReplica("plain", EU)))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(SqsTestClient.awsCode(e)).isEqualTo("ValidationException");
            assertThat(e.getStatus().getDescription()).contains("NEW_AND_OLD_IMAGES");
          });

      a.blocking().createTable(table("carts").setStreamSpecification(StreamSpecification
          .newBuilder().setStreamEnabled(true).setStreamViewType("NEW_AND_OLD_IMAGES")).build());
      var usA = in(a, US);
      var euB = in(b, EU);
      var usC = in(c, US);
      var euC = in(c, EU);
      await(() -> describe(usA).getTableStatus(), "ACTIVE"::equals);
      put(usA, "before", "copied");
      // A region header that names no region is refused.
      assertThatThrownBy(() -> describe(in(a, "mars"))).isInstanceOfSatisfying(
          StatusRuntimeException.class, e -> assertThat(SqsTestClient.awsCode(e))
              .isEqualTo("ValidationException"));
      // The region without the table: not found there.
      assertThatThrownBy(() -> get(euB, "before")).isInstanceOfSatisfying(
          StatusRuntimeException.class, e -> assertThat(SqsTestClient.awsCode(e))
              .isEqualTo("ResourceNotFoundException"));

      TableDescription updated = a.blocking().updateTable(addReplica("carts", EU))
          .getTableDescription();
      assertThat(updated.getReplicasList()).extracting(r -> r.getRegionName())
          .containsExactly(EU);
      TableDescription us = await(() -> describe(usA), t -> t.getReplicasCount() == 1
          && t.getReplicas(0).getReplicaStatus().equals("ACTIVE"));
      assertThat(us.getReplicas(0).getReplicaStatus()).isEqualTo("ACTIVE");
      assertThat(us.getGlobalTableVersion()).isEqualTo("2019.11.21");
      TableDescription eu = describe(euB);
      assertThat(eu.getTableStatus()).isEqualTo("ACTIVE");
      assertThat(eu.getTableArn()).startsWith("arn:aws:dynamodb:" + EU + ":");
      assertThat(eu.getReplicasList()).extracting(r -> r.getRegionName()).containsExactly(US);
      assertThat(eu.getKeySchema(0).getAttributeName()).isEqualTo("id");
      // A global table is not deleted while it has replicas.
      assertThatThrownBy(() -> euB.deleteTable(fabric.dynamodb.v1.DeleteTableRequest
          .newBuilder().setTableName("carts").build()))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(
              e.getStatus().getDescription()).contains("remove them first"));
      // A second Create of the same replica is refused.
      assertThatThrownBy(() -> a.blocking().updateTable(addReplica("carts", EU)))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(
              SqsTestClient.awsCode(e)).isEqualTo("ValidationException"));

      // The existing item was copied; new writes go both ways.
      assertThat(await(() -> get(euB, "before"), "copied"::equals)).isEqualTo("copied");
      put(usA, "fromUs", "1");
      put(euB, "fromEu", "2");
      assertThat(await(() -> get(euC, "fromUs"), "1"::equals)).isEqualTo("1");
      assertThat(await(() -> get(usC, "fromEu"), "2"::equals)).isEqualTo("2");

      // The write from eu-west-1 is in us-east-1's stream too; Streams serves only the
      // node's region yet, and says so.
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1",
          cluster.node(1).grpcPort()).usePlaintext().build();
      try {
        Metadata account = new Metadata();
        account.put(S3TestClient.ACCOUNT, ACCOUNT);
        var streams = DynamoDBStreamsGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(account))
            .withDeadlineAfter(30, TimeUnit.SECONDS);
        String arn = streams.listStreams(ListStreamsRequest.newBuilder().setTableName("carts")
            .build()).getStreams(0).getStreamArn();
        String shard = streams.describeStream(DescribeStreamRequest.newBuilder()
            .setStreamArn(arn).build()).getStreamDescription().getShards(0).getShardId();
        String it = streams.getShardIterator(GetShardIteratorRequest.newBuilder()
            .setStreamArn(arn).setShardId(shard).setShardIteratorType("TRIM_HORIZON").build())
            .getShardIterator();
        List<Record> records = new java.util.ArrayList<>();
        for (int i = 0; i < 20 && it != null && !it.isEmpty(); i++) {
          var page = streams.getRecords(GetRecordsRequest.newBuilder().setShardIterator(it)
              .build());
          if (page.getRecordsCount() == 0) {
            break;
          }
          records.addAll(page.getRecordsList());
          it = page.getNextShardIterator();
        }
        assertThat(records).filteredOn(r -> r.getDynamodb().getKeysMap().get("id")
            .equals(s("fromEu"))).extracting(Record::getEventName).containsExactly("INSERT");
        Metadata euHeader = new Metadata();
        euHeader.put(CallerRegion.REGION_KEY, EU);
        assertThatThrownBy(() -> streams.withInterceptors(MetadataUtils
            .newAttachHeadersInterceptor(euHeader)).listStreams(ListStreamsRequest.newBuilder()
                .setTableName("carts").build())).isInstanceOfSatisfying(
                    StatusRuntimeException.class, e -> assertThat(SqsTestClient.awsCode(e))
                        .isEqualTo("ValidationException"));
      } finally {
        channel.shutdownNow();
      }

      // Concurrent conflicting writes to one key in both regions: both end on one value,
      // the last write of one of them (each region's later writes are newer there).
      int rounds = 20;
      CompletableFuture<Void> usWrites = CompletableFuture.runAsync(() -> {
        for (int i = 0; i < rounds; i++) {
          put(usA, "hot", "us-" + i);
        }
      });
      CompletableFuture<Void> euWrites = CompletableFuture.runAsync(() -> {
        for (int i = 0; i < rounds; i++) {
          put(euB, "hot", "eu-" + i);
        }
      });
      CompletableFuture.allOf(usWrites, euWrites).get(60, TimeUnit.SECONDS);
      Set<String> finals = Set.of("us-" + (rounds - 1), "eu-" + (rounds - 1));
      List<String> both = await(() -> java.util.Arrays.asList(get(usC, "hot"),
          get(euC, "hot")), v -> v.get(0) != null && v.get(0).equals(v.get(1)));
      assertThat(both.get(0)).isEqualTo(both.get(1)).isIn(finals);

      // A delete replicates; a put older than the delete arriving late does not resurrect.
      put(usA, "gone", "x");
      assertThat(await(() -> get(euB, "gone"), "x"::equals)).isEqualTo("x");
      euB.deleteItem(DeleteItemRequest.newBuilder().setTableName("carts")
          .putKey("id", s("gone")).build());
      assertThat(await(() -> get(usA, "gone"), v -> v == null)).isNull();
      EntityClient entities = new EntityClient(ClusterSharding.get(cluster.node(0).system()),
          Duration.ofSeconds(10), new AzDirectory(cluster.node(0).system()), false);
      String partition = ACCOUNT + "/" + US + "/carts/" + us.getTableId() + "/p0";
      var key = PrimaryKey.of(new fabric.dynamo.model.AttributeValue.S("gone"), null);
      var late = new ReplicaWrite(key, new Item(Map.of("id",
          new fabric.dynamo.model.AttributeValue.S("gone"), "v",
          new fabric.dynamo.model.AttributeValue.S("late"))),
          new Version(System.currentTimeMillis() - 60_000, EU));
      entities.ask(PartitionDefinition.TYPE_KEY, partition,
          r -> new PartitionCommand.ApplyReplica(List.of(late), r), PartitionReply.Done.class)
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(get(usA, "gone")).isNull();
      // ... while a newer one does apply (the same path can write).
      var newer = new ReplicaWrite(key, late.item(), new Version(System.currentTimeMillis()
          + 60_000, EU));
      entities.ask(PartitionDefinition.TYPE_KEY, partition,
          r -> new PartitionCommand.ApplyReplica(List.of(newer), r), PartitionReply.Done.class)
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(get(usA, "gone")).isEqualTo("late");

      // A third replica whose build lost its driver right after it was recorded CREATING
      // (a minute ago): the next DescribeTable resumes it; every member feeds it.
      var ap = in(c, AP);
      entities.ask(fabric.dynamo.table.TableDefinition.TYPE_KEY, ACCOUNT + "/" + US + "/carts",
          r -> new fabric.dynamo.table.TableCommand.SetReplica(AP, "CREATING",
              System.currentTimeMillis() - 120_000, r),
          fabric.dynamo.table.TableReply.Description.class)
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
      TableDescription three = await(() -> describe(usA), t -> t.getReplicasList().stream()
          .allMatch(r -> r.getReplicaStatus().equals("ACTIVE")));
      assertThat(three.getReplicasList()).extracting(r -> r.getRegionName() + ":"
          + r.getReplicaStatus()).containsExactly(AP + ":ACTIVE", EU + ":ACTIVE");
      assertThat(await(() -> get(ap, "fromEu"), "2"::equals)).isEqualTo("2");
      put(ap, "fromAp", "3");
      assertThat(await(() -> get(euC, "fromAp"), "3"::equals)).isEqualTo("3");
      assertThat(await(() -> get(usC, "fromAp"), "3"::equals)).isEqualTo("3");

      // Removing a replica: it is gone from the table, its region's table is deleted,
      // and it gets no more writes.
      TableDescription removed = a.blocking().updateTable(UpdateTableRequest.newBuilder()
          .setTableName("carts").addReplicaUpdates(ReplicationGroupUpdate.newBuilder()
              .setDelete(DeleteReplicationGroupMemberAction.newBuilder().setRegionName(EU)))
          .build()).getTableDescription();
      assertThat(removed.getReplicasList()).extracting(r -> r.getRegionName())
          .containsExactly(AP);
      assertThat(await(() -> {
        try {
          return describe(euB).getTableStatus();
        } catch (StatusRuntimeException e) {
          return SqsTestClient.awsCode(e);
        }
      }, "ResourceNotFoundException"::equals)).isEqualTo("ResourceNotFoundException");
      put(usA, "after", "us");
      assertThat(await(() -> get(ap, "after"), "us"::equals)).isEqualTo("us");
      assertThat(describe(usA).getReplicasCount()).isEqualTo(1);
      assertThat(describe(ap).getReplicasList()).extracting(r -> r.getRegionName())
          .containsExactly(US);

      // Idle, the feeds write nothing (their cursor's own events are not fed again).
      String usPartition = partition;
      Supplier<Long> events = () -> entities.<PartitionCommand, PartitionReply.Position>ask(
          PartitionDefinition.TYPE_KEY, usPartition, PartitionCommand.Position::new,
          PartitionReply.Position.class).toCompletableFuture().join().appliedEvents();
      long[] last = {-1};
      long quiet = await(() -> {
        long before = last[0];
        try {
          Thread.sleep(1_500);
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        last[0] = events.get();
        return before == last[0] ? last[0] : -1L;
      }, v -> v >= 0);
      assertThat(quiet).as("the partition's journal stops growing").isNotNegative();
    }
  }
}
