package fabric.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.rpc.ErrorInfo;
import fabric.kinesis.v1.ChildShard;
import fabric.kinesis.v1.CreateStreamRequest;
import fabric.kinesis.v1.DeregisterStreamConsumerRequest;
import fabric.kinesis.v1.DescribeStreamConsumerRequest;
import fabric.kinesis.v1.DescribeStreamRequest;
import fabric.kinesis.v1.PutRecordRequest;
import fabric.kinesis.v1.PutRecordsRequest;
import fabric.kinesis.v1.PutRecordsRequestEntry;
import fabric.kinesis.v1.Record;
import fabric.kinesis.v1.RegisterStreamConsumerRequest;
import fabric.kinesis.v1.SplitShardRequest;
import fabric.kinesis.v1.StartingPosition;
import fabric.kinesis.v1.SubscribeToShardEvent;
import fabric.kinesis.v1.SubscribeToShardRequest;
import fabric.node.testing.KinesisTestClient;
import fabric.node.testing.TestCluster;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SubscribeToShard through real gRPC server streaming on a 3-node cluster: records put after
 * subscribing arrive in order (put-to-delivery latency printed), a subscription ends after
 * its lifetime (shortened by config) and the next resumes from its continuation, a closed
 * shard's end carries the children, a second subscription of a consumer to a shard on a node
 * is refused until the first is cancelled, bad requests get Kinesis's codes.
 */
class KinesisFanOutTest {
  private static final String ACCOUNT = "864286428642";
  /** The subscription lifetime of this cluster (AWS: 5 minutes). */
  private static final Duration LIFETIME = Duration.ofSeconds(6);
  /** How long a new consumer is CREATING on this cluster (AWS: a few seconds). */
  private static final Duration ACTIVATION = Duration.ofSeconds(2);
  @TempDir
  static Path dataDir;
  private static TestCluster cluster;
  private static KinesisTestClient[] clients;

  @BeforeAll
  static void start() throws Exception {
    // Write limits off: the backpressure test puts megabytes into one shard at once.
    cluster = TestCluster.start(dataDir, Map.of("fabric.kinesis.subscription-lifetime",
        LIFETIME.toMillis() + "ms", "fabric.kinesis.enforce-limits", false,
        "fabric.kinesis.consumer-activation-delay", ACTIVATION.toMillis() + "ms"));
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

  /** One SubscribeToShard call as a client sees it. */
  static final class Subscriber
      implements ClientResponseObserver<SubscribeToShardRequest, SubscribeToShardEvent> {
    final List<SubscribeToShardEvent> events = new CopyOnWriteArrayList<>();
    final Map<String, Long> receivedNanos = new ConcurrentHashMap<>();
    final CompletableFuture<Void> done = new CompletableFuture<>();
    volatile ClientCallStreamObserver<SubscribeToShardRequest> call;
    /** Events the client takes before it asks for more (0: as they come). */
    final int initialRequest;

    Subscriber(int initialRequest) {
      this.initialRequest = initialRequest;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<SubscribeToShardRequest> requests) {
      call = requests;
      if (initialRequest > 0) {
        requests.disableAutoRequestWithInitial(initialRequest);
      }
    }

    @Override
    public void onNext(SubscribeToShardEvent event) {
      long now = System.nanoTime();
      event.getRecordsList().forEach(r -> receivedNanos.put(r.getData().toStringUtf8(), now));
      events.add(event);
    }

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
      done.complete(null);
    }

    List<Record> records() {
      List<Record> out = new ArrayList<>();
      events.forEach(e -> out.addAll(e.getRecordsList()));
      return out;
    }

    void awaitEvents(int n) throws InterruptedException {
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (events.size() < n && !done.isDone() && System.nanoTime() < until) {
        Thread.sleep(5);
      }
      assertThat(events.size()).as("events received").isGreaterThanOrEqualTo(n);
    }

    void awaitRecords(int n) throws InterruptedException {
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (records().size() < n && !done.isDone() && System.nanoTime() < until) {
        Thread.sleep(5);
      }
      assertThat(records()).hasSizeGreaterThanOrEqualTo(n);
    }

    String failureCode() throws Exception {
      try {
        done.get(20, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        return code((StatusRuntimeException) e.getCause());
      }
      throw new AssertionError("the subscription did not fail");
    }
  }

  private static String code(StatusRuntimeException e) throws Exception {
    return StatusProto.fromThrowable(e).getDetails(0).unpack(ErrorInfo.class).getReason();
  }

  private static Subscriber subscribe(int node, String consumerArn, String shardId,
      String type, String sequenceNumber) {
    return subscribe(node, consumerArn, shardId, type, sequenceNumber, new Subscriber(0));
  }

  private static Subscriber subscribe(int node, String consumerArn, String shardId,
      String type, String sequenceNumber, Subscriber s) {
    var position = StartingPosition.newBuilder().setType(type);
    if (sequenceNumber != null) {
      position.setSequenceNumber(sequenceNumber);
    }
    clients[node].async().subscribeToShard(SubscribeToShardRequest.newBuilder()
        .setConsumerArn(consumerArn).setShardId(shardId).setStartingPosition(position)
        .build(), s);
    return s;
  }

  /** A stream of {@code shards} shards with a registered (ACTIVE) consumer: its ARN. */
  private static String streamWithConsumer(String name, int shards)
      throws InterruptedException {
    clients[0].blocking().createStream(CreateStreamRequest.newBuilder().setStreamName(name)
        .setShardCount(shards).build());
    String arn = clients[1].blocking().describeStream(DescribeStreamRequest.newBuilder()
        .setStreamName(name).build()).getStreamDescription().getStreamArn();
    var consumer = clients[2].blocking().registerStreamConsumer(RegisterStreamConsumerRequest
        .newBuilder().setStreamArn(arn).setConsumerName(name + "-app").build()).getConsumer();
    assertThat(consumer.getConsumerStatus()).isEqualTo("CREATING"); // as AWS answers
    awaitActive(consumer.getConsumerArn());
    return consumer.getConsumerArn();
  }

  /** Describes the consumer (by its ARN alone) until it is ACTIVE: when that was. */
  private static long awaitActive(String consumerArn) throws InterruptedException {
    long until = System.currentTimeMillis() + ACTIVATION.toMillis() + 20_000;
    while (System.currentTimeMillis() < until) {
      long now = System.currentTimeMillis();
      if (clients[0].blocking().describeStreamConsumer(DescribeStreamConsumerRequest
          .newBuilder().setConsumerArn(consumerArn).build()).getConsumerDescription()
          .getConsumerStatus().equals("ACTIVE")) {
        return now;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("consumer " + consumerArn + " not ACTIVE");
  }

  private static String put(int node, String stream, String data) {
    return clients[node].blocking().putRecord(PutRecordRequest.newBuilder()
        .setStreamName(stream).setPartitionKey("k").setData(ByteString.copyFromUtf8(data))
        .build()).getSequenceNumber();
  }

  private static List<String> data(List<Record> records) {
    return records.stream().map(r -> r.getData().toStringUtf8()).toList();
  }

  private static List<String> expected(String prefix, int from, int to) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(prefix + i);
    }
    return out;
  }

  @Test
  void recordsPutAfterSubscribingArriveInOrderWithinTheLatencyAim() throws Exception {
    String consumer = streamWithConsumer("live", 1);
    Subscriber s = subscribe(2, consumer, "shardId-000000000000", "LATEST", null);
    s.awaitEvents(1); // subscribed: the first event comes at once, empty at the tip
    assertThat(s.events.get(0).getRecordsCount()).isZero();
    int n = 150;
    Map<String, Long> putNanos = new ConcurrentHashMap<>();
    List<String> sequenceNumbers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      putNanos.put("r" + i, System.nanoTime());
      sequenceNumbers.add(put(i % 2, "live", "r" + i));
      Thread.sleep(7); // spread the puts over the poll interval
    }
    s.awaitRecords(n);
    assertThat(data(s.records())).containsExactlyElementsOf(expected("r", 0, n));
    assertThat(s.records()).extracting(Record::getSequenceNumber)
        .containsExactlyElementsOf(sequenceNumbers);
    assertThat(s.events.get(s.events.size() - 1).getContinuationSequenceNumber())
        .isEqualTo(sequenceNumbers.get(n - 1));
    List<Long> millis = new ArrayList<>();
    putNanos.forEach((k, t) -> millis.add((s.receivedNanos.get(k) - t) / 1_000_000));
    Collections.sort(millis);
    long p50 = millis.get(n / 2);
    long p99 = millis.get((int) Math.ceil(n * 0.99) - 1);
    System.out.printf("SubscribeToShard put-to-delivery latency over %d records (put call "
        + "start to event received, 50 ms poll): p50 %d ms, p99 %d ms, max %d ms%n", n, p50,
        p99, millis.get(n - 1));
    // The issue aims at p99 <= 200 ms; the bound here leaves room for a loaded test machine.
    assertThat(p99).isLessThan(1_000);
    s.call.cancel("done", null);
  }

  @Test
  void aSubscriptionEndsAfterItsLifetimeAndTheNextResumesFromTheContinuation()
      throws Exception {
    String consumer = streamWithConsumer("resume", 1);
    List<String> seq = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      seq.add(put(i % 3, "resume", "a" + i));
    }
    long started = System.nanoTime();
    Subscriber first = subscribe(1, consumer, "shardId-000000000000", "TRIM_HORIZON", null);
    first.done.get(LIFETIME.toSeconds() + 20, TimeUnit.SECONDS); // completes, no error
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(
        LIFETIME.minusMillis(200));
    assertThat(data(first.records())).containsExactlyElementsOf(expected("a", 0, 10));
    String continuation = first.events.get(first.events.size() - 1)
        .getContinuationSequenceNumber();
    assertThat(continuation).isEqualTo(seq.get(9));
    for (int i = 10; i < 15; i++) {
      seq.add(put(i % 3, "resume", "a" + i));
    }
    Subscriber next = subscribe(0, consumer, "shardId-000000000000", "AFTER_SEQUENCE_NUMBER",
        continuation);
    next.awaitRecords(5);
    assertThat(data(next.records())).containsExactlyElementsOf(expected("a", 10, 15));
    next.call.cancel("done", null);
    Subscriber at = subscribe(2, consumer, "shardId-000000000000", "AT_SEQUENCE_NUMBER",
        seq.get(12));
    at.awaitRecords(3);
    assertThat(data(at.records())).containsExactlyElementsOf(expected("a", 12, 15));
    at.call.cancel("done", null);
  }

  @Test
  void aClosedShardsEndCarriesItsChildrenAndEndsTheSubscription() throws Exception {
    String consumer = streamWithConsumer("closing", 1);
    for (int i = 0; i < 5; i++) {
      put(i % 3, "closing", "c" + i);
    }
    Subscriber s = subscribe(0, consumer, "shardId-000000000000", "TRIM_HORIZON", null);
    s.awaitRecords(5);
    String middle = BigInteger.TWO.pow(127).toString();
    clients[1].blocking().splitShard(SplitShardRequest.newBuilder().setStreamName("closing")
        .setShardToSplit("shardId-000000000000").setNewStartingHashKey(middle).build());
    s.done.get(20, TimeUnit.SECONDS);
    SubscribeToShardEvent last = s.events.get(s.events.size() - 1);
    assertThat(last.getChildShardsList()).extracting(ChildShard::getShardId)
        .containsExactlyInAnyOrder("shardId-000000000001", "shardId-000000000002");
    assertThat(last.getChildShardsList()).allSatisfy(c -> assertThat(c.getParentShardsList())
        .containsExactly("shardId-000000000000"));
    assertThat(last.getContinuationSequenceNumber()).isEmpty();
    assertThat(data(s.records())).containsExactlyElementsOf(expected("c", 0, 5));
    // Subscribing after the closed shard's last record: the children at once.
    String lastSeq = s.records().get(4).getSequenceNumber();
    Subscriber after = subscribe(2, consumer, "shardId-000000000000",
        "AFTER_SEQUENCE_NUMBER", lastSeq);
    after.done.get(20, TimeUnit.SECONDS);
    assertThat(after.records()).isEmpty();
    assertThat(after.events).hasSize(1);
    assertThat(after.events.get(0).getChildShardsCount()).isEqualTo(2);
  }

  @Test
  void oneSubscriptionPerConsumerAndShardOnANodeUntilCancelled() throws Exception {
    String consumer = streamWithConsumer("single", 2);
    Subscriber first = subscribe(1, consumer, "shardId-000000000001", "LATEST", null);
    first.awaitEvents(1);
    Subscriber second = subscribe(1, consumer, "shardId-000000000001", "LATEST", null);
    assertThat(second.failureCode()).isEqualTo("ResourceInUseException");
    Subscriber otherShard = subscribe(1, consumer, "shardId-000000000000", "LATEST", null);
    otherShard.awaitEvents(1);
    assertThat(otherShard.done).isNotDone();
    first.call.cancel("client is done", null);
    // The server learns of the cancel asynchronously: the slot frees soon after.
    Subscriber again = null;
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < until) {
      again = subscribe(1, consumer, "shardId-000000000001", "LATEST", null);
      Thread.sleep(300);
      if (!again.done.isDone()) {
        break;
      }
    }
    assertThat(again.done).as("a subscription after the cancel").isNotDone();
    again.awaitEvents(1);
    again.call.cancel("done", null);
    otherShard.call.cancel("done", null);
  }

  @Test
  void aSlowClientHoldsTheSubscriptionBackWithoutLosingRecords() throws Exception {
    String consumer = streamWithConsumer("bulk", 1);
    byte[] kib = new byte[1024];
    int batches = 30;
    for (int b = 0; b < batches; b++) {
      var batch = PutRecordsRequest.newBuilder().setStreamName("bulk");
      for (int i = 0; i < 100; i++) {
        batch.addRecords(PutRecordsRequestEntry.newBuilder().setPartitionKey("k")
            .setData(ByteString.copyFromUtf8(String.format("%05d", b * 100 + i))
                .concat(ByteString.copyFrom(kib))));
      }
      assertThat(clients[b % 3].blocking().putRecords(batch.build()).getFailedRecordCount())
          .isZero();
    }
    Subscriber slow = subscribe(1, consumer, "shardId-000000000000", "TRIM_HORIZON", null,
        new Subscriber(1));
    slow.awaitEvents(1);
    Thread.sleep(500); // ~3 MB waiting: the server parks once gRPC's window is full
    assertThat(slow.events).hasSize(1);
    slow.call.request(Integer.MAX_VALUE);
    slow.awaitRecords(batches * 100);
    put(0, "bulk", "after");
    slow.awaitRecords(batches * 100 + 1);
    List<String> got = slow.records().stream()
        .map(r -> r.getData().substring(0, Math.min(5, r.getData().size())).toStringUtf8())
        .toList();
    assertThat(got.subList(0, batches * 100)).isSorted().doesNotHaveDuplicates();
    assertThat(got.get(batches * 100)).isEqualTo("after");
    assertThat(slow.events).hasSizeGreaterThan(1);
    slow.call.cancel("done", null);
  }

  @Test
  void badSubscriptionsGetKinesisErrorCodes() throws Exception {
    String consumer = streamWithConsumer("errors", 1);
    String streamArn = consumer.substring(0, consumer.indexOf("/consumer/"));
    assertThat(subscribe(0, streamArn + "/consumer/nobody:1", "shardId-000000000000",
        "LATEST", null).failureCode()).isEqualTo("ResourceNotFoundException");
    assertThat(subscribe(0, "not-an-arn", "shardId-000000000000", "LATEST", null)
        .failureCode()).isEqualTo("ValidationException");
    assertThat(subscribe(1, consumer, "shardId-000000000009", "LATEST", null).failureCode())
        .isEqualTo("ResourceNotFoundException");
    assertThat(subscribe(2, consumer, "shardId-000000000000", "SOMEWHERE", null)
        .failureCode()).isEqualTo("ValidationException");
    assertThat(subscribe(2, consumer, "shardId-000000000000", "AT_SEQUENCE_NUMBER",
        "12").failureCode()).isEqualTo("InvalidArgumentException");
    assertThat(subscribe(0, consumer.replace("/errors/", "/missing/"),
        "shardId-000000000000", "LATEST", null).failureCode())
        .isEqualTo("ResourceNotFoundException");
  }

  @Test
  void aNewConsumerIsCreatingForItsDelayAndCannotSubscribeUntilActive() throws Exception {
    clients[0].blocking().createStream(CreateStreamRequest.newBuilder().setStreamName("young")
        .setShardCount(1).build());
    String streamArn = clients[1].blocking().describeStream(DescribeStreamRequest.newBuilder()
        .setStreamName("young").build()).getStreamDescription().getStreamArn();
    long before = System.currentTimeMillis();
    String arn = clients[2].blocking().registerStreamConsumer(RegisterStreamConsumerRequest
        .newBuilder().setStreamArn(streamArn).setConsumerName("young-app").build())
        .getConsumer().getConsumerArn();
    assertThat(subscribe(1, arn, "shardId-000000000000", "LATEST", null).failureCode())
        .isEqualTo("ResourceInUseException");
    // Named by its ARN alone, or by the stream and its name: the same consumer, CREATING.
    var byArn = clients[0].blocking().describeStreamConsumer(DescribeStreamConsumerRequest
        .newBuilder().setConsumerArn(arn).build()).getConsumerDescription();
    var byName = clients[1].blocking().describeStreamConsumer(DescribeStreamConsumerRequest
        .newBuilder().setStreamArn(streamArn).setConsumerName("young-app").build())
        .getConsumerDescription();
    for (var d : List.of(byArn, byName)) {
      assertThat(d.getConsumerArn()).isEqualTo(arn);
      assertThat(d.getConsumerName()).isEqualTo("young-app");
      assertThat(d.getStreamArn()).isEqualTo(streamArn);
    }
    if (System.currentTimeMillis() - before < ACTIVATION.toMillis()) {
      assertThat(byArn.getConsumerStatus()).isEqualTo("CREATING");
    }
    long active = awaitActive(arn);
    assertThat(active - before).as("ms until ACTIVE").isGreaterThanOrEqualTo(
        ACTIVATION.toMillis());
    Subscriber s = subscribe(1, arn, "shardId-000000000000", "LATEST", null);
    s.awaitEvents(1);
    put(0, "young", "first");
    s.awaitRecords(1);
    assertThat(data(s.records())).containsExactly("first");
    s.call.cancel("done", null);
  }

  @Test
  void describeStreamConsumerByArnFindsOnlyThatRegistration() throws Exception {
    String arn = streamWithConsumer("named", 1);
    String streamArn = arn.substring(0, arn.indexOf("/consumer/"));
    assertThat(describeCode(DescribeStreamConsumerRequest.newBuilder()
        .setConsumerArn(streamArn + "/consumer/named-app:1").build()))
        .isEqualTo("ResourceNotFoundException"); // the name, but not its registration
    assertThat(describeCode(DescribeStreamConsumerRequest.newBuilder()
        .setConsumerArn("not-an-arn").build())).isEqualTo("ValidationException");
    assertThat(describeCode(DescribeStreamConsumerRequest.newBuilder()
        .setConsumerName("named-app").build())).isEqualTo("InvalidArgumentException");
    assertThat(describeCode(DescribeStreamConsumerRequest.newBuilder()
        .setStreamArn(streamArn).setConsumerName("nobody").build()))
        .isEqualTo("ResourceNotFoundException");
    clients[1].blocking().deregisterStreamConsumer(DeregisterStreamConsumerRequest
        .newBuilder().setConsumerArn(arn).build());
    assertThat(describeCode(DescribeStreamConsumerRequest.newBuilder().setConsumerArn(arn)
        .build())).isEqualTo("ResourceNotFoundException");
  }

  private static String describeCode(DescribeStreamConsumerRequest request) throws Exception {
    try {
      clients[2].blocking().describeStreamConsumer(request);
    } catch (StatusRuntimeException e) {
      return code(e);
    }
    throw new AssertionError("DescribeStreamConsumer " + request + " did not fail");
  }
}
