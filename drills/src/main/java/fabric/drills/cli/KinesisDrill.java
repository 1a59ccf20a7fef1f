package fabric.drills.cli;

import fabric.drills.check.CheckResult;
import fabric.drills.check.KinesisChecker;
import fabric.drills.cluster.FabricCluster;
import fabric.drills.history.History;
import fabric.drills.history.OpValue;
import fabric.drills.workload.KinesisClient;
import fabric.drills.workload.KinesisWorkload;
import fabric.drills.workload.SqsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The Kinesis workload: one stream of {@link #SHARDS} shards, created fresh, producers with a
 * counter per partition key and a reader per shard ({@link KinesisWorkload}); the faults
 * alternate between the shards' leaders. Afterwards the readers read every shard to its tip
 * and the history is checked: no acknowledged record lost, none read twice, each shard in
 * sequence-number order, each key's acknowledged records in counter order.
 */
final class KinesisDrill implements DrillWorkload {
  static final String ACCOUNT = QueueDrill.ACCOUNT;
  /** Two shards: records route by hash key, and the faults alternate between leaders. */
  static final int SHARDS = 2;
  /** Enough for a failover or two after the producers stopped. */
  static final Duration DRAIN = Duration.ofMinutes(2);

  private final History history;
  private final String stream;
  private final long createdMillis;
  private final List<String> shardIds;
  private final int producers;
  private final int keys;
  private final KinesisWorkload workload;
  private final List<String> notes = new ArrayList<>();
  private Set<String> readToTip = Set.of();

  private final Duration reshardEvery;

  private KinesisDrill(History history, List<KinesisClient> endpoints, String stream,
      long createdMillis, List<String> shardIds, int producers, int keys,
      Duration reshardEvery) {
    this.history = history;
    this.stream = stream;
    this.createdMillis = createdMillis;
    this.shardIds = shardIds;
    this.producers = producers;
    this.keys = keys;
    this.reshardEvery = reshardEvery;
    this.workload = new KinesisWorkload(history, endpoints, stream, shardIds, producers, keys,
        reshardEvery);
  }

  /**
   * Creates the stream and waits until it is ACTIVE (retrying through every node for up to a
   * minute: a cold fabric may still be starting its shards).
   *
   * @param reshardEvery the period of UpdateShardCount calls while the producers run; zero
   *     for none
   */
  static KinesisDrill create(History history, List<KinesisClient> endpoints, String stream,
      int keys, int producers, Duration reshardEvery) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    SqsClient.Result<?> last = null;
    boolean created = false;
    for (int i = 0; !created && System.nanoTime() < deadline; i++) {
      last = endpoints.get(i % endpoints.size()).createStream(stream, SHARDS);
      created = last instanceof SqsClient.Ok<?>;
      if (!created) {
        Thread.sleep(500);
      }
    }
    for (int i = 0; created && System.nanoTime() < deadline; i++) {
      last = endpoints.get(i % endpoints.size()).describe(stream);
      if (last instanceof SqsClient.Ok<?> ok
          && ok.value() instanceof KinesisClient.StreamInfo info
          && info.status().equals("ACTIVE")) {
        return new KinesisDrill(history, endpoints, stream, info.createdMillis(),
            info.shardIds(), producers, Math.max(keys, producers), reshardEvery);
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("could not create stream " + stream + ": " + last);
  }

  @Override
  public String describe() {
    return producers + " producers on " + keys + " partition keys and a reader per shard of "
        + "stream " + stream + " (" + shardIds.size() + " shards"
        + (reshardEvery.isZero() ? ")" : ", UpdateShardCount every " + reshardEvery.toSeconds()
            + " s to " + KinesisWorkload.reshardTargets(shardIds.size()) + ")");
  }

  @Override
  public void start() {
    workload.start();
  }

  /**
   * Round r hits the leader of open shard r mod open shards (as the last reshard left them). The outage shows in that shard's reads
   * and in the puts that had a record acknowledged on it; not in every put: a PutRecords
   * succeeds as a call even when its records for the dead shard fail, and one whose records
   * all went to the other shard says nothing about this one.
   */
  @Override
  public Target target(int round) {
    List<String> open = workload.openShards();
    String shardId = open.get(round % open.size());
    String entity = ACCOUNT + "/us-east-1/" + stream + "/" + createdMillis + "/" + shardId;
    String acknowledgedHere = shardId + "/";
    return new Target(new Resource("KinesisShard", entity),
        call -> call.key().equals(stream + "/" + shardId)
            || (call.key().equals(stream) && call.isOk()
                && OpValue.messagesOf(call.value()).stream()
                    .anyMatch(m -> m.id().startsWith(acknowledgedHere))));
  }

  @Override
  public void stop() throws InterruptedException {
    long start = System.nanoTime();
    readToTip = workload.stop(DRAIN);
    notes.add(String.format("readers: %d shards read to their end or the tip %.1f s after "
        + "the producers stopped (%d open at the end)", readToTip.size(),
        (System.nanoTime() - start) / 1e9, workload.openShards().size()));
  }

  /** No replicas check: shards have no followers (a reader reads the journal). */
  @Override
  public List<CheckResult> check(FabricCluster cluster, boolean checkReplicas) {
    return List.of(KinesisChecker.check(history.calls(), stream, readToTip));
  }

  @Override
  public List<String> notes() {
    return notes;
  }
}
