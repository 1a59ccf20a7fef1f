package fabric.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.rpc.ErrorInfo;
import fabric.kinesis.v1.CreateStreamRequest;
import fabric.kinesis.v1.DescribeStreamRequest;
import fabric.kinesis.v1.GetRecordsRequest;
import fabric.kinesis.v1.GetRecordsResponse;
import fabric.kinesis.v1.GetShardIteratorRequest;
import fabric.kinesis.v1.ListShardsRequest;
import fabric.kinesis.v1.ListStreamsRequest;
import fabric.kinesis.v1.PutRecordRequest;
import fabric.kinesis.v1.PutRecordsRequest;
import fabric.kinesis.v1.PutRecordsRequestEntry;
import fabric.kinesis.v1.PutRecordsResponse;
import fabric.kinesis.v1.Record;
import fabric.kinesis.v1.Shard;
import fabric.kinesis.v1.SplitShardRequest;
import fabric.kinesis.v1.StreamDescription;
import fabric.node.testing.KinesisTestClient;
import fabric.node.testing.TestCluster;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kinesis through gRPC on a 3-node cluster (one node per AZ, H2 journal): records are
 * ordered per shard with AWS-shaped sequence numbers, readers follow a split from the
 * parent to its children and see every record once, bad input gets Kinesis's error codes.
 */
class KinesisStreamsTest {
  private static final String ACCOUNT = "246824682468";
  @TempDir
  static Path dataDir;
  private static TestCluster cluster;
  private static KinesisTestClient[] clients;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dataDir);
    clients = new KinesisTestClient[3];
    for (int i = 0; i < 3; i++) {
      clients[i] = new KinesisTestClient("127.0.0.1", cluster.node(i).grpcPort(), ACCOUNT);
    }
  }

  @AfterAll
  static void stop() {
    for (KinesisTestClient c : clients) {
      c.close();
    }
    cluster.close();
  }

  private static String code(StatusRuntimeException e) throws Exception {
    return StatusProto.fromThrowable(e).getDetails(0).unpack(ErrorInfo.class).getReason();
  }

  private static StreamDescription create(String name, int shards) {
    clients[0].blocking().createStream(CreateStreamRequest.newBuilder().setStreamName(name)
        .setShardCount(shards).build());
    return clients[1].blocking().describeStream(DescribeStreamRequest.newBuilder()
        .setStreamName(name).build()).getStreamDescription();
  }

  private static List<Record> readAll(String stream, String shardId) {
    String it = clients[2].blocking().getShardIterator(GetShardIteratorRequest.newBuilder()
        .setStreamName(stream).setShardId(shardId).setShardIteratorType("TRIM_HORIZON")
        .build()).getShardIterator();
    List<Record> out = new ArrayList<>();
    for (int i = 0; i < 1_000 && !it.isEmpty(); i++) {
      GetRecordsResponse page = clients[i % 3].blocking().getRecords(GetRecordsRequest
          .newBuilder().setShardIterator(it).setLimit(7).build());
      out.addAll(page.getRecordsList());
      if (page.getRecordsCount() == 0 && page.getMillisBehindLatest() == 0
          && !page.getNextShardIterator().isEmpty()) {
        break; // caught up with an open shard
      }
      it = page.getNextShardIterator();
    }
    return out;
  }

  @Test
  void recordsComeBackInOrderPerShardWithIncreasingSequenceNumbers() throws Exception {
    StreamDescription d = create("orders", 2);
    assertThat(d.getStreamStatus()).isEqualTo("ACTIVE");
    assertThat(d.getShardsList()).extracting(Shard::getShardId)
        .containsExactly("shardId-000000000000", "shardId-000000000001");
    Map<String, List<String>> putPerShard = new HashMap<>();
    for (int i = 0; i < 30; i++) {
      var put = clients[i % 3].blocking().putRecord(PutRecordRequest.newBuilder()
          .setStreamName("orders").setPartitionKey("customer-" + (i % 5))
          .setData(ByteString.copyFromUtf8("order-" + i)).build());
      assertThat(put.getSequenceNumber()).hasSize(56);
      putPerShard.computeIfAbsent(put.getShardId(), k -> new ArrayList<>())
          .add("order-" + i);
    }
    PutRecordsResponse batch = clients[1].blocking().putRecords(PutRecordsRequest.newBuilder()
        .setStreamName("orders").addRecords(PutRecordsRequestEntry.newBuilder()
            .setPartitionKey("x").setData(ByteString.copyFromUtf8("batch-0")))
        .addRecords(PutRecordsRequestEntry.newBuilder().setPartitionKey("y")
            .setExplicitHashKey("0").setData(ByteString.copyFromUtf8("batch-1"))).build());
    assertThat(batch.getFailedRecordCount()).isZero();
    assertThat(batch.getRecords(1).getShardId()).as("hash key 0: the first shard")
        .isEqualTo("shardId-000000000000");
    for (int i = 0; i < 2; i++) {
      putPerShard.computeIfAbsent(batch.getRecords(i).getShardId(), k -> new ArrayList<>())
          .add("batch-" + i);
    }
    for (Map.Entry<String, List<String>> shard : putPerShard.entrySet()) {
      List<Record> read = readAll("orders", shard.getKey());
      assertThat(read).extracting(r -> r.getData().toString(StandardCharsets.UTF_8))
          .as("shard %s in put order", shard.getKey()).isEqualTo(shard.getValue());
      for (int i = 1; i < read.size(); i++) {
        assertThat(read.get(i).getSequenceNumber())
            .isGreaterThan(read.get(i - 1).getSequenceNumber());
      }
    }
  }

  @Test
  void aReaderThatFollowsASplitFromParentToChildrenSeesEveryRecordOnce() {
    create("clicks", 1);
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (int i = 0; i < 20; i++) {
      put("clicks", "page-" + i, "before-" + i);
    }
    clients[2].blocking().splitShard(SplitShardRequest.newBuilder().setStreamName("clicks")
        .setShardToSplit("shardId-000000000000")
        .setNewStartingHashKey(BigInteger.ONE.shiftLeft(127).toString()).build());
    for (int i = 0; i < 20; i++) {
      put("clicks", "page-" + i, "after-" + i);
    }
    List<Shard> shards = clients[0].blocking().listShards(ListShardsRequest.newBuilder()
        .setStreamName("clicks").build()).getShardsList();
    assertThat(shards).hasSize(3);
    assertThat(shards.get(0).getSequenceNumberRange().getEndingSequenceNumber()).isNotEmpty();
    assertThat(shards.get(1).getParentShardId()).isEqualTo("shardId-000000000000");
    // The parent's end says where to go next.
    String it = clients[0].blocking().getShardIterator(GetShardIteratorRequest.newBuilder()
        .setStreamName("clicks").setShardId("shardId-000000000000")
        .setShardIteratorType("TRIM_HORIZON").build()).getShardIterator();
    List<String> children = new ArrayList<>();
    while (!it.isEmpty()) {
      GetRecordsResponse page = clients[1].blocking().getRecords(GetRecordsRequest.newBuilder()
          .setShardIterator(it).build());
      page.getRecordsList().forEach(r -> counts.merge(r.getData().toStringUtf8(), 1,
          Integer::sum));
      page.getChildShardsList().forEach(c -> children.add(c.getShardId()));
      it = page.getNextShardIterator();
    }
    assertThat(children).containsExactly("shardId-000000000001", "shardId-000000000002");
    for (String child : children) {
      readAll("clicks", child).forEach(r -> counts.merge(r.getData().toStringUtf8(), 1,
          Integer::sum));
    }
    assertThat(counts).hasSize(40).allSatisfy((data, n) -> assertThat(n).as(data)
        .isEqualTo(1));
  }

  private static void put(String stream, String key, String data) {
    clients[0].blocking().putRecord(PutRecordRequest.newBuilder().setStreamName(stream)
        .setPartitionKey(key).setData(ByteString.copyFromUtf8(data)).build());
  }

  @Test
  void latestAndAtSequenceNumberStartWhereTheySay() {
    create("events", 1);
    put("events", "k", "one");
    String latest = clients[0].blocking().getShardIterator(GetShardIteratorRequest.newBuilder()
        .setStreamName("events").setShardId("shardId-000000000000")
        .setShardIteratorType("LATEST").build()).getShardIterator();
    var second = clients[0].blocking().putRecord(PutRecordRequest.newBuilder()
        .setStreamName("events").setPartitionKey("k").setData(ByteString.copyFromUtf8("two"))
        .build());
    put("events", "k", "three");
    assertThat(clients[1].blocking().getRecords(GetRecordsRequest.newBuilder()
        .setShardIterator(latest).build()).getRecordsList())
        .extracting(r -> r.getData().toStringUtf8()).containsExactly("two", "three");
    String after = clients[0].blocking().getShardIterator(GetShardIteratorRequest.newBuilder()
        .setStreamName("events").setShardId("shardId-000000000000")
        .setShardIteratorType("AFTER_SEQUENCE_NUMBER")
        .setStartingSequenceNumber(second.getSequenceNumber()).build()).getShardIterator();
    assertThat(clients[2].blocking().getRecords(GetRecordsRequest.newBuilder()
        .setShardIterator(after).build()).getRecordsList())
        .extracting(r -> r.getData().toStringUtf8()).containsExactly("three");
  }

  @Test
  void badInputGetsKinesisErrorCodes() {
    create("strict", 1);
    assertThatThrownBy(() -> clients[0].blocking().createStream(CreateStreamRequest
        .newBuilder().setStreamName("strict").setShardCount(1).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(codeOf(e)).isEqualTo("ResourceInUseException"));
    assertThatThrownBy(() -> clients[0].blocking().putRecord(PutRecordRequest.newBuilder()
        .setStreamName("missing").setPartitionKey("k").build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(codeOf(e)).isEqualTo("ResourceNotFoundException"));
    assertThatThrownBy(() -> clients[0].blocking().putRecord(PutRecordRequest.newBuilder()
        .setStreamName("strict").setPartitionKey("").build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(codeOf(e)).isEqualTo("ValidationException"));
    assertThatThrownBy(() -> clients[0].blocking().getRecords(GetRecordsRequest.newBuilder()
        .setShardIterator("not-an-iterator").build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(codeOf(e)).isEqualTo("InvalidArgumentException"));
    assertThatThrownBy(() -> clients[0].blocking().getShardIterator(GetShardIteratorRequest
        .newBuilder().setStreamName("strict").setShardId("shardId-000000000000")
        .setShardIteratorType("AT_SEQUENCE_NUMBER").setStartingSequenceNumber("42").build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(codeOf(e)).isEqualTo("InvalidArgumentException"));
    assertThat(clients[0].blocking().listStreams(ListStreamsRequest.getDefaultInstance())
        .getStreamNamesList()).contains("strict");
  }

  @Test
  void atTimestampStartsAtTheFirstRecordThatArrivedThen() throws Exception {
    create("ticks", 1);
    put("ticks", "k", "early");
    Thread.sleep(20); // arrival times are in milliseconds: let the next one be later
    var second = clients[0].blocking().putRecord(PutRecordRequest.newBuilder()
        .setStreamName("ticks").setPartitionKey("k").setData(ByteString.copyFromUtf8("late"))
        .build());
    put("ticks", "k", "later");
    List<Record> all = readAll("ticks", "shardId-000000000000");
    double at = all.stream().filter(r -> r.getSequenceNumber().equals(
        second.getSequenceNumber())).findFirst().orElseThrow().getApproximateArrivalTimestamp();
    assertThat(all.get(0).getApproximateArrivalTimestamp()).isLessThan(at);
    String it = clients[1].blocking().getShardIterator(GetShardIteratorRequest.newBuilder()
        .setStreamName("ticks").setShardId("shardId-000000000000")
        .setShardIteratorType("AT_TIMESTAMP").setTimestamp(at).build()).getShardIterator();
    assertThat(clients[2].blocking().getRecords(GetRecordsRequest.newBuilder()
        .setShardIterator(it).build()).getRecordsList())
        .extracting(r -> r.getData().toStringUtf8()).containsExactly("late", "later");
  }

  @Test
  void aShardTakesOneMibASecondAndThrottlesTheRestOfABatchRecordByRecord() {
    create("heavy", 1);
    PutRecordsRequest.Builder batch = PutRecordsRequest.newBuilder().setStreamName("heavy");
    ByteString mib = ByteString.copyFrom(new byte[1000 * 1024]);
    for (int i = 0; i < 4; i++) {
      batch.addRecords(PutRecordsRequestEntry.newBuilder().setPartitionKey("k" + i)
          .setData(mib));
    }
    PutRecordsResponse response = clients[0].blocking().putRecords(batch.build());
    // The bucket holds one second: 1 MiB, so the first ~1,000 KB record only.
    assertThat(response.getFailedRecordCount()).isEqualTo(3);
    assertThat(response.getRecords(0).getSequenceNumber()).isNotEmpty();
    assertThat(response.getRecordsList().subList(1, 4)).allSatisfy(r -> assertThat(
        r.getErrorCode()).isEqualTo("ProvisionedThroughputExceededException"));
  }

  private static String codeOf(StatusRuntimeException e) {
    try {
      return code(e);
    } catch (Exception x) {
      throw new AssertionError("no ErrorInfo in " + e, x);
    }
  }
}
