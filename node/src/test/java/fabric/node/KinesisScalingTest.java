package fabric.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.rpc.ErrorInfo;
import fabric.kinesis.v1.CreateStreamRequest;
import fabric.kinesis.v1.DescribeLimitsRequest;
import fabric.kinesis.v1.DescribeLimitsResponse;
import fabric.kinesis.v1.DescribeStreamRequest;
import fabric.kinesis.v1.GetRecordsRequest;
import fabric.kinesis.v1.GetRecordsResponse;
import fabric.kinesis.v1.GetShardIteratorRequest;
import fabric.kinesis.v1.ListStreamsRequest;
import fabric.kinesis.v1.ListShardsRequest;
import fabric.kinesis.v1.PutRecordsRequest;
import fabric.kinesis.v1.PutRecordsRequestEntry;
import fabric.kinesis.v1.PutRecordsResponse;
import fabric.kinesis.v1.Record;
import fabric.kinesis.v1.Shard;
import fabric.kinesis.v1.SplitShardRequest;
import fabric.kinesis.v1.StreamDescription;
import fabric.kinesis.v1.StreamModeDetails;
import fabric.kinesis.v1.UpdateShardCountRequest;
import fabric.kinesis.v1.UpdateShardCountResponse;
import fabric.node.testing.KinesisTestClient;
import fabric.node.testing.TestCluster;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * UpdateShardCount on a 3-node cluster under concurrent producers: 4 → 8 → 5 shards, even
 * hash-key ranges at each count, lineage through splits and merges, every acknowledged
 * record read back exactly once and in order per shard; its limits and DescribeLimits.
 */
class KinesisScalingTest {
  private static final String ACCOUNT = "975397539753";
  private static final BigInteger SPACE = BigInteger.TWO.pow(128);
  /** The account shard quota of this cluster (AWS: 500), small enough to reach. */
  private static final int QUOTA = 20;
  @TempDir
  static Path dataDir;
  private static TestCluster cluster;
  private static KinesisTestClient[] clients;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dataDir, Map.of("fabric.kinesis.max-open-shards", QUOTA));
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

  private static String code(Throwable e) throws Exception {
    return StatusProto.fromThrowable(e).getDetails(0).unpack(ErrorInfo.class).getReason();
  }

  private static UpdateShardCountResponse scale(int node, String stream, int target) {
    return clients[node].blocking().updateShardCount(UpdateShardCountRequest.newBuilder()
        .setStreamName(stream).setTargetShardCount(target).setScalingType("UNIFORM_SCALING")
        .build());
  }

  private static StreamDescription describe(String stream) {
    return clients[0].blocking().describeStream(DescribeStreamRequest.newBuilder()
        .setStreamName(stream).build()).getStreamDescription();
  }

  private static List<Shard> open(List<Shard> shards) {
    return shards.stream().filter(s -> s.getSequenceNumberRange().getEndingSequenceNumber()
        .isEmpty()).toList();
  }

  /** The open shards are the even split of the hash-key space into {@code n}. */
  private static void assertEven(List<Shard> shards, int n) {
    List<Shard> open = open(shards);
    assertThat(open).hasSize(n);
    Set<String> starts = new HashSet<>();
    open.forEach(s -> starts.add(s.getHashKeyRange().getStartingHashKey()));
    for (int i = 0; i < n; i++) {
      BigInteger start = SPACE.multiply(BigInteger.valueOf(i)).divide(BigInteger.valueOf(n));
      assertThat(starts).as("a shard starting at the %d/%d mark", i, n)
          .anyMatch(x -> new BigInteger(x).subtract(start).abs().compareTo(
              BigInteger.valueOf(n)) <= 0);
    }
  }

  /** Every record of a shard, from its trim horizon to its end (or tip, when open). */
  private static List<Record> readAll(String stream, String shardId) throws Exception {
    String it = clients[2].blocking().getShardIterator(GetShardIteratorRequest.newBuilder()
        .setStreamName(stream).setShardId(shardId).setShardIteratorType("TRIM_HORIZON")
        .build()).getShardIterator();
    List<Record> out = new ArrayList<>();
    for (int i = 0; i < 2_000 && !it.isEmpty(); i++) {
      GetRecordsResponse page;
      try {
        page = clients[i % 3].blocking().getRecords(GetRecordsRequest.newBuilder()
            .setShardIterator(it).build());
      } catch (StatusRuntimeException e) {
        if (!code(e).equals("ProvisionedThroughputExceededException")) {
          throw e;
        }
        Thread.sleep(250);
        continue;
      }
      out.addAll(page.getRecordsList());
      if (page.getRecordsCount() == 0 && page.getMillisBehindLatest() == 0
          && !page.getNextShardIterator().isEmpty()) {
        break; // caught up with an open shard
      }
      it = page.getNextShardIterator();
    }
    return out;
  }

  private static List<String> data(List<Record> records) {
    return records.stream().map(r -> r.getData().toStringUtf8() + "@"
        + r.getSequenceNumber().substring(48)).toList();
  }

  @Test
  void fourToEightToFiveUnderProducersKeepsEveryRecordOnceAndLineageExact()
      throws Exception {
    clients[0].blocking().createStream(CreateStreamRequest.newBuilder().setStreamName("scaled")
        .setShardCount(4).build());
    AtomicBoolean stop = new AtomicBoolean();
    Map<String, String> acked = new ConcurrentHashMap<>(); // data -> shard it went to
    List<Thread> producers = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      int producer = p;
      Thread t = new Thread(() -> {
        int n = 0;
        while (!stop.get()) {
          var batch = PutRecordsRequest.newBuilder().setStreamName("scaled");
          List<String> data = new ArrayList<>();
          for (int i = 0; i < 20; i++, n++) {
            String d = "p" + producer + "-" + n;
            data.add(d);
            batch.addRecords(PutRecordsRequestEntry.newBuilder().setPartitionKey("key-" + n)
                .setData(ByteString.copyFromUtf8(d)));
          }
          try {
            PutRecordsResponse r = clients[(producer + n) % 3].blocking()
                .putRecords(batch.build());
            for (int i = 0; i < data.size(); i++) {
              if (r.getRecords(i).getErrorCode().isEmpty()) {
                acked.put(data.get(i), r.getRecords(i).getShardId());
              }
            }
          } catch (StatusRuntimeException e) {
            // not acknowledged: not expected back (a put may race the stream's reshard)
          }
        }
      }, "producer-" + p);
      t.start();
      producers.add(t);
    }
    try {
      Thread.sleep(300);
      UpdateShardCountResponse up = scale(1, "scaled", 8);
      assertThat(up.getCurrentShardCount()).isEqualTo(4);
      assertThat(up.getTargetShardCount()).isEqualTo(8);
      StreamDescription eight = describe("scaled");
      assertThat(eight.getStreamStatus()).isEqualTo("ACTIVE");
      assertEven(eight.getShardsList(), 8);
      Thread.sleep(300);
      UpdateShardCountResponse down = scale(2, "scaled", 5);
      assertThat(down.getCurrentShardCount()).isEqualTo(8);
      Thread.sleep(300);
    } finally {
      stop.set(true);
      for (Thread t : producers) {
        t.join();
      }
    }
    List<Shard> all = clients[1].blocking().listShards(ListShardsRequest.newBuilder()
        .setStreamName("scaled").build()).getShardsList();
    assertEven(all, 5);
    // Lineage: every shard but the first four has one or two parents among the listed.
    Map<String, Shard> byId = new HashMap<>();
    all.forEach(s -> byId.put(s.getShardId(), s));
    for (Shard s : all) {
      if (s.getParentShardId().isEmpty()) {
        assertThat(List.of("shardId-000000000000", "shardId-000000000001",
            "shardId-000000000002", "shardId-000000000003")).contains(s.getShardId());
        continue;
      }
      assertThat(byId).containsKey(s.getParentShardId());
      if (!s.getAdjacentParentShardId().isEmpty()) {
        assertThat(byId).containsKey(s.getAdjacentParentShardId());
      }
    }
    Map<String, Integer> seen = new HashMap<>();
    for (Shard s : all) {
      List<Record> records = readAll("scaled", s.getShardId());
      Map<String, Integer> lastPerProducer = new HashMap<>();
      for (Record r : records) {
        String d = r.getData().toStringUtf8();
        seen.merge(d, 1, Integer::sum);
        if (acked.containsKey(d)) {
          assertThat(acked.get(d)).as("the shard PutRecords named for " + d)
              .isEqualTo(s.getShardId());
        }
        String[] parts = d.split("-");
        int n = Integer.parseInt(parts[1]);
        Integer before = lastPerProducer.put(parts[0], n);
        assertThat(before == null || before < n).as("per-shard order of %s in %s after %s: %s",
            d, s.getShardId(), before, data(records)).isTrue();
      }
    }
    assertThat(acked).hasSizeGreaterThan(100);
    for (String d : acked.keySet()) {
      assertThat(seen.get(d)).as("times acknowledged record " + d + " was read").isEqualTo(1);
    }
    assertThat(seen.values()).allMatch(c -> c == 1);
    System.out.printf("UpdateShardCount 4 -> 8 -> 5 under 2 producers: %d records "
        + "acknowledged, %d read back, %d shards listed%n", acked.size(), seen.size(),
        all.size());
  }

  @Test
  void limitsOfUpdateShardCountAndDescribeLimits() throws Exception {
    KinesisTestClient other = new KinesisTestClient("127.0.0.1", cluster.node(2).grpcPort(),
        "314159265358");
    try {
      other.blocking().createStream(CreateStreamRequest.newBuilder().setStreamName("three")
          .setShardCount(3).build());
      other.blocking().createStream(CreateStreamRequest.newBuilder().setStreamName("auto")
          .setStreamModeDetails(StreamModeDetails.newBuilder().setStreamMode("ON_DEMAND"))
          .build());
      DescribeLimitsResponse limits = other.blocking().describeLimits(
          DescribeLimitsRequest.getDefaultInstance());
      assertThat(limits.getShardLimit()).isEqualTo(QUOTA);
      assertThat(limits.getOpenShardCount()).isEqualTo(3 + 4);
      assertThat(limits.getOnDemandStreamCount()).isEqualTo(1);
      assertThat(limits.getOnDemandStreamCountLimit()).isEqualTo(50);
      for (var bad : List.of(
          new Object[] {"three", 7, "UNIFORM_SCALING", "InvalidArgumentException"},
          new Object[] {"three", 1, "UNIFORM_SCALING", "InvalidArgumentException"},
          new Object[] {"three", 0, "UNIFORM_SCALING", "ValidationException"},
          new Object[] {"three", 4, "SKEWED", "ValidationException"},
          new Object[] {"auto", 5, "UNIFORM_SCALING", "ValidationException"},
          new Object[] {"missing", 2, "UNIFORM_SCALING", "ResourceNotFoundException"})) {
        assertThatThrownBy(() -> other.blocking().updateShardCount(UpdateShardCountRequest
            .newBuilder().setStreamName((String) bad[0]).setTargetShardCount((int) bad[1])
            .setScalingType((String) bad[2]).build()))
            .as("UpdateShardCount %s to %s (%s)", bad[0], bad[1], bad[2])
            .satisfies(e -> assertThat(code(e)).isEqualTo(bad[3]));
      }
      var r = other.blocking().updateShardCount(UpdateShardCountRequest.newBuilder()
          .setStreamName("three").setTargetShardCount(2).setScalingType("UNIFORM_SCALING")
          .build());
      assertThat(r.getCurrentShardCount()).isEqualTo(3);
      assertThat(other.blocking().describeLimits(DescribeLimitsRequest.getDefaultInstance())
          .getOpenShardCount()).isEqualTo(2 + 4);
    } finally {
      other.close();
    }
  }

  private static void refused(String code, Runnable call) {
    assertThatThrownBy(call::run).satisfies(e -> assertThat(code(e)).isEqualTo(code));
  }

  @Test
  void theShardQuotaCountsEveryStreamOfTheAccount() throws Exception {
    KinesisTestClient a = new KinesisTestClient("127.0.0.1", cluster.node(1).grpcPort(),
        "271828182845");
    KinesisTestClient b = new KinesisTestClient("127.0.0.1", cluster.node(2).grpcPort(),
        "141421356237");
    try {
      a.blocking().createStream(CreateStreamRequest.newBuilder().setStreamName("big")
          .setShardCount(12).build());
      // 12 + 9 > 20: refused, and nothing of it exists afterwards.
      refused("LimitExceededException", () -> a.blocking().createStream(CreateStreamRequest
          .newBuilder().setStreamName("second").setShardCount(9).build()));
      refused("ResourceNotFoundException", () -> a.blocking().describeStream(
          DescribeStreamRequest.newBuilder().setStreamName("second").build()));
      assertThat(a.blocking().listStreams(ListStreamsRequest.getDefaultInstance())
          .getStreamNamesList()).containsExactly("big");
      // Another account has its own quota.
      b.blocking().createStream(CreateStreamRequest.newBuilder().setStreamName("second")
          .setShardCount(QUOTA).build());
      a.blocking().createStream(CreateStreamRequest.newBuilder().setStreamName("auto")
          .setStreamModeDetails(StreamModeDetails.newBuilder().setStreamMode("ON_DEMAND"))
          .build());
      a.blocking().createStream(CreateStreamRequest.newBuilder().setStreamName("second")
          .setShardCount(4).build()); // 12 + 4 + 4: the quota exactly
      refused("LimitExceededException", () -> a.blocking().createStream(CreateStreamRequest
          .newBuilder().setStreamName("one").setShardCount(1).build()));
      refused("LimitExceededException", () -> a.blocking().createStream(CreateStreamRequest
          .newBuilder().setStreamName("auto2").setStreamModeDetails(StreamModeDetails
              .newBuilder().setStreamMode("ON_DEMAND")).build()));
      Shard first = describe(a, "big").getShards(0);
      SplitShardRequest split = SplitShardRequest.newBuilder().setStreamName("big")
          .setShardToSplit(first.getShardId()).setNewStartingHashKey(new BigInteger(
              first.getHashKeyRange().getStartingHashKey()).add(BigInteger.TEN).toString())
          .build();
      refused("LimitExceededException", () -> a.blocking().splitShard(split));
      refused("LimitExceededException", () -> a.blocking().updateShardCount(
          UpdateShardCountRequest.newBuilder().setStreamName("second").setTargetShardCount(5)
              .setScalingType("UNIFORM_SCALING").build()));
      assertThat(open(describe(a, "big").getShardsList())).hasSize(12);
      assertThat(open(describe(a, "second").getShardsList())).hasSize(4);
      // Scaling down frees room for a split elsewhere in the account.
      a.blocking().updateShardCount(UpdateShardCountRequest.newBuilder()
          .setStreamName("second").setTargetShardCount(2).setScalingType("UNIFORM_SCALING")
          .build());
      a.blocking().splitShard(split);
      DescribeLimitsResponse limits = a.blocking().describeLimits(
          DescribeLimitsRequest.getDefaultInstance());
      assertThat(limits.getOpenShardCount()).isEqualTo(13 + 4 + 2);
      assertThat(limits.getShardLimit()).isEqualTo(QUOTA);
    } finally {
      a.close();
      b.close();
    }
  }

  @Test
  void updateShardCountIsRefusedAfterTenCallsInADayPerStream() throws Exception {
    KinesisTestClient c = new KinesisTestClient("127.0.0.1", cluster.node(0).grpcPort(),
        "173205080756");
    try {
      for (String name : List.of("busy", "calm")) {
        c.blocking().createStream(CreateStreamRequest.newBuilder().setStreamName(name)
            .setShardCount(1).build());
      }
      for (int i = 0; i < 10; i++) {
        int target = i % 2 == 0 ? 2 : 1;
        assertThat(c.blocking().updateShardCount(UpdateShardCountRequest.newBuilder()
            .setStreamName("busy").setTargetShardCount(target)
            .setScalingType("UNIFORM_SCALING").build()).getTargetShardCount())
            .isEqualTo(target);
      }
      assertThatThrownBy(() -> c.blocking().updateShardCount(UpdateShardCountRequest
          .newBuilder().setStreamName("busy").setTargetShardCount(2)
          .setScalingType("UNIFORM_SCALING").build()))
          .satisfies(e -> assertThat(code(e)).isEqualTo("LimitExceededException"))
          .hasMessageContaining("10 times in the last 24 hours");
      StreamDescription busy = describe(c, "busy");
      assertThat(busy.getStreamStatus()).isEqualTo("ACTIVE");
      assertThat(open(busy.getShardsList())).hasSize(1); // the refused call changed nothing
      // Per stream: another stream of the account scales.
      c.blocking().updateShardCount(UpdateShardCountRequest.newBuilder()
          .setStreamName("calm").setTargetShardCount(2).setScalingType("UNIFORM_SCALING")
          .build());
      assertEven(describe(c, "calm").getShardsList(), 2);
    } finally {
      c.close();
    }
  }

  private static StreamDescription describe(KinesisTestClient client, String stream) {
    return client.blocking().describeStream(DescribeStreamRequest.newBuilder()
        .setStreamName(stream).build()).getStreamDescription();
  }
}
