package fabric.node;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.dynamodb.v1.AttributeDefinition;
import fabric.dynamodb.v1.AttributeValue;
import fabric.dynamodb.v1.CreateTableRequest;
import fabric.dynamodb.v1.DescribeStreamRequest;
import fabric.dynamodb.v1.DynamoDBStreamsGrpc;
import fabric.dynamodb.v1.GetRecordsRequest;
import fabric.dynamodb.v1.GetRecordsResponse;
import fabric.dynamodb.v1.GetShardIteratorRequest;
import fabric.dynamodb.v1.KeySchemaElement;
import fabric.dynamodb.v1.ListStreamsRequest;
import fabric.dynamodb.v1.PutItemRequest;
import fabric.dynamodb.v1.Record;
import fabric.dynamodb.v1.Shard;
import fabric.dynamodb.v1.StreamSpecification;
import fabric.node.testing.DynamoTestClient;
import fabric.node.testing.S3TestClient;
import fabric.node.testing.TestCluster;
import fabric.gateway.grpc.GrpcErrors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream reader that follows the shards' lineage as AWS's KCL does (a child only once its
 * parent is read to its end) sees every write exactly once and each item's writes in order,
 * while the table splits under it (64 KiB partitions here, so several splits): a parent's
 * shard closes (an ending sequence number, no next iterator at its end), its children name
 * it as their parent, and the split's copy of the items is no record.
 */
class DynamoStreamSplitTest {
  private static final String ACCOUNT = "246824682468";
  private static final int ITEMS = 150;
  private static final int VERSIONS = 3;

  @TempDir
  Path dataDir;

  private static AttributeValue s(String v) {
    return AttributeValue.newBuilder().setS(v).build();
  }

  private static AttributeValue n(int v) {
    return AttributeValue.newBuilder().setN(Integer.toString(v)).build();
  }

  @Test
  void aReaderFollowingParentsToChildrenSeesEveryWriteOnceInOrder() throws Exception {
    try (TestCluster cluster = TestCluster.start(dataDir,
        Map.of("fabric.dynamo.partition-split-size", "64k"));
        var a = new DynamoTestClient("127.0.0.1", cluster.node(0).grpcPort(), ACCOUNT)) {
      a.blocking().createTable(CreateTableRequest.newBuilder().setTableName("moving")
          .setBillingMode("PAY_PER_REQUEST")
          .addAttributeDefinitions(AttributeDefinition.newBuilder().setAttributeName("id")
              .setAttributeType("S"))
          .addKeySchema(KeySchemaElement.newBuilder().setAttributeName("id")
              .setKeyType("HASH"))
          .setStreamSpecification(StreamSpecification.newBuilder().setStreamEnabled(true)
              .setStreamViewType("NEW_IMAGE")).build());
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1",
          cluster.node(1).grpcPort()).usePlaintext().build();
      Metadata headers = new Metadata();
      headers.put(S3TestClient.ACCOUNT, ACCOUNT);
      var streams = DynamoDBStreamsGrpc.newBlockingStub(channel)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
      String arn = streams.listStreams(ListStreamsRequest.newBuilder().setTableName("moving")
          .build()).getStreams(0).getStreamArn();

      AtomicBoolean written = new AtomicBoolean();
      Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
      Set<String> finished = ConcurrentHashMap.newKeySet();
      Map<String, Shard> lastListing = new ConcurrentHashMap<>();
      List<Throwable> readerFailure = new ArrayList<>();
      Thread reader = new Thread(() -> {
        try {
          follow(streams, arn, written, seen, finished, lastListing);
        } catch (Throwable t) {
          readerFailure.add(t);
        }
      });
      reader.start();
      String body = "x".repeat(1_000);
      try {
        for (int v = 0; v < VERSIONS; v++) {
          for (int i = 0; i < ITEMS; i++) {
            put(a, "item-" + i, v, body);
          }
        }
      } finally {
        written.set(true);
      }
      reader.join(TimeUnit.SECONDS.toMillis(120));
      channel.shutdownNow();
      assertThat(readerFailure).isEmpty();
      assertThat(reader.isAlive()).as("the reader finished").isFalse();

      List<Shard> closed = lastListing.values().stream()
          .filter(sh -> !sh.getSequenceNumberRange().getEndingSequenceNumber().isEmpty())
          .toList();
      assertThat(closed).as("split parents' shards, closed").isNotEmpty();
      for (Shard parent : closed) {
        assertThat(finished).as("closed shards are read to their end").contains(
            parent.getShardId());
        assertThat(lastListing.values().stream().filter(sh -> sh.getParentShardId()
            .equals(parent.getShardId()))).as("children of " + parent.getShardId())
            .hasSize(2);
      }
      assertThat(seen).hasSize(ITEMS);
      List<Integer> inOrder = new ArrayList<>();
      for (int v = 0; v < VERSIONS; v++) {
        inOrder.add(v);
      }
      seen.forEach((id, versions) -> assertThat(versions).as(id).isEqualTo(inOrder));
    }
  }

  /** Conditional on the version, so a retry of a write that did land is no second write. */
  private static void put(DynamoTestClient a, String id, int v, String body)
      throws InterruptedException {
    for (int attempt = 0; ; attempt++) {
      try {
        a.blocking().putItem(PutItemRequest.newBuilder().setTableName("moving")
            .putItem("id", s(id)).putItem("v", n(v)).putItem("body", s(body))
            .setConditionExpression("attribute_not_exists(v) OR v < :v")
            .putExpressionAttributeValues(":v", n(v)).build());
        return;
      } catch (StatusRuntimeException e) {
        if (GrpcErrors.awsCode(e).orElse("").equals("ConditionalCheckFailedException")) {
          return; // an earlier attempt was written
        }
        if (attempt > 100) {
          throw e;
        }
        Thread.sleep(100); // the partition is being split: retry, as an SDK would
      }
    }
  }

  /**
   * Reads every shard once its parent (if listed) is finished, until the writes are done and
   * a last round of every open shard found nothing new.
   */
  private static void follow(DynamoDBStreamsGrpc.DynamoDBStreamsBlockingStub streams,
      String arn, AtomicBoolean written, Map<String, List<Integer>> seen, Set<String> finished,
      Map<String, Shard> listing) throws InterruptedException {
    Map<String, String> iterators = new LinkedHashMap<>();
    long deadline = System.currentTimeMillis() + 110_000;
    int quietRoundsAfterWrites = 0;
    while (System.currentTimeMillis() < deadline && quietRoundsAfterWrites < 5) {
      boolean writesDone = written.get();
      listing.clear();
      for (Shard sh : streams.describeStream(DescribeStreamRequest.newBuilder()
          .setStreamArn(arn).build()).getStreamDescription().getShardsList()) {
        listing.put(sh.getShardId(), sh);
      }
      for (Shard sh : listing.values()) {
        String parent = sh.getParentShardId();
        boolean ready = parent.isEmpty() || !listing.containsKey(parent)
            || finished.contains(parent);
        if (ready && !finished.contains(sh.getShardId())
            && !iterators.containsKey(sh.getShardId())) {
          iterators.put(sh.getShardId(), streams.getShardIterator(
              GetShardIteratorRequest.newBuilder().setStreamArn(arn)
                  .setShardId(sh.getShardId()).setShardIteratorType("TRIM_HORIZON").build())
              .getShardIterator());
        }
      }
      int got = 0;
      for (String shard : new ArrayList<>(iterators.keySet())) {
        GetRecordsResponse page = streams.getRecords(GetRecordsRequest.newBuilder()
            .setShardIterator(iterators.get(shard)).build());
        for (Record r : page.getRecordsList()) {
          got++;
          String id = r.getDynamodb().getKeysMap().get("id").getS();
          int v = Integer.parseInt(r.getDynamodb().getNewImageMap().get("v").getN());
          seen.computeIfAbsent(id, k -> new ArrayList<>()).add(v);
          assertThat(r.getEventName()).isEqualTo(v == 0 ? "INSERT" : "MODIFY");
        }
        if (page.getNextShardIterator().isEmpty()) {
          iterators.remove(shard);
          finished.add(shard);
        } else {
          iterators.put(shard, page.getNextShardIterator());
        }
      }
      // A finished shard whose children are not listed yet: its split is still flipping.
      boolean orphaned = finished.stream().anyMatch(f -> listing.values().stream()
          .noneMatch(sh -> sh.getParentShardId().equals(f)));
      quietRoundsAfterWrites = writesDone && got == 0 && !orphaned
          ? quietRoundsAfterWrites + 1 : 0;
      if (got == 0) {
        Thread.sleep(100);
      }
    }
  }
}
