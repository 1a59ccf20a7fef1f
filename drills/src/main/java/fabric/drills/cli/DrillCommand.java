package fabric.drills.cli;

import fabric.drills.check.CheckResult;
import fabric.drills.cluster.FabricCluster;
import fabric.drills.fault.AzDown;
import fabric.drills.fault.DiskFull;
import fabric.drills.fault.KillNode;
import fabric.drills.fault.Fault;
import fabric.drills.fault.FaultCatalog;
import fabric.drills.history.Call;
import fabric.drills.history.FaultEvent;
import fabric.drills.history.History;
import fabric.drills.history.HistoryJson;
import fabric.drills.report.DrillReport;
import fabric.drills.report.DrillVerdict;
import fabric.drills.report.HtmlTimeline;
import fabric.drills.report.JsonReport;
import fabric.drills.report.RecoveryCalculator;
import fabric.drills.report.TextReport;
import fabric.drills.workload.DynamoClient;
import fabric.drills.workload.KinesisClient;
import fabric.drills.workload.S3Register;
import fabric.drills.workload.SqsClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./fabric drill NAME}: a workload against a running fabric while faults hit it. */
@Command(name = "drill", mixinStandardHelpOptions = true,
    description = {
        "Runs a chaos drill against a fabric started with",
        "  ./fabric up --processes 3 --journal cassandra --detach --data-dir DIR",
        "Clients read, write and compare-and-set S3 objects through every node while the",
        "drill injects the fault NAME on the node leading their bucket, again and again.",
        "Afterwards every key is read back and the history is checked for lost",
        "acknowledged writes and linearizability. With --workload sqs, producers and",
        "consumers use a standard and a FIFO queue instead, the faults hit the queues'",
        "leaders in turn, and after draining both queues the history is checked for lost",
        "acknowledged messages and, on the FIFO queue, group order, deleted messages",
        "coming back and messages enqueued twice. With --workload dynamodb, clients",
        "transfer between the accounts of a table (TransactWriteItems), read them all",
        "atomically (TransactGetItems) and put ledger items; the faults hit the table",
        "partition's leader, and afterwards every atomic read must have summed to the",
        "initial sum, the final one too, and every acknowledged put must read back.",
        "With --workload kinesis, producers put records with a counter per partition key",
        "into a stream of two shards and a reader per shard reads it; the faults hit the",
        "shards' leaders in turn, and afterwards every acknowledged record must have been",
        "read exactly once, each shard in sequence-number order, each key in counter order",
        "(with --reshard-every, also across splits and merges: readers follow a closed",
        "shard to its children, parents before children, as AWS's KCL).",
        "Exit code 0 = PASS, 1 = FAIL, 2 = bad arguments.",
        "NAME: kill (kill -9; the supervisor restarts the node), pause (SIGSTOP for",
        "--pause seconds, then SIGCONT), az-down (kill -9 of the AZ's fabric nodes and its",
        "Cassandra node, once; STANDARD objects must stay readable, ONEZONE_IA ones not),",
        "az-destroyed (az-down, then the AZ's Cassandra data is wiped and the node comes",
        "back empty: STANDARD objects must survive, ONEZONE_IA ones must be gone),",
        "partition-az (the target's AZ, fabric and Cassandra, cut from the other AZs for",
        "--hold seconds), partition-pair (the target and a node of another AZ cut from each",
        "other), lossy (--loss percent of the target's packets to and from everyone",
        "dropped), clock-skew (the target's wall clock moved by --skew seconds; needs",
        "./fabric up --clock-control), disk-full (the disk of the target's AZ's Cassandra",
        "node filled for --hold seconds, then freed and that node restarted; needs ./fabric",
        "up --cassandra-disk-mib), slow-link (every link into the target delayed by",
        "--delay-ms for --hold seconds; needs ./fabric up --link-control). Network drills",
        "need root, nft and cgroup v2."})
public final class DrillCommand implements Callable<Integer> {
  static final String S3 = "s3";
  static final String SQS = "sqs";
  static final String DYNAMODB = "dynamodb";
  static final String KINESIS = "kinesis";
  /** Followers catch up within a heartbeat or two; a restarted one replays the journal. */
  private static final Duration REPLICA_CATCH_UP = Duration.ofSeconds(60);

  @Parameters(index = "0", paramLabel = "NAME", description = "kill | pause | az-down | "
      + "az-destroyed | partition-az | partition-pair | lossy | clock-skew | disk-full | "
      + "slow-link")
  String name;

  @Option(names = "--data-dir", defaultValue = "./data",
      description = "Data directory of the running fabric (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--duration", defaultValue = "120",
      description = "Seconds of workload (default: ${DEFAULT-VALUE}).")
  int durationSeconds;

  @Option(names = "--interval", defaultValue = "15",
      description = "Quiet seconds before each fault (default: ${DEFAULT-VALUE}).")
  int intervalSeconds;

  @Option(names = "--pause", defaultValue = "10",
      description = "Seconds a paused node stays stopped (default: ${DEFAULT-VALUE}).")
  int pauseSeconds;

  @Option(names = "--hold", defaultValue = "15",
      description = "Seconds a partition, lossy or slow link, clock skew or full disk lasts "
          + "(default: ${DEFAULT-VALUE}).")
  int holdSeconds;

  @Option(names = "--loss", defaultValue = "30",
      description = "Percent of packets a lossy link drops, 1..99 (default: ${DEFAULT-VALUE}).")
  int lossPercent;

  @Option(names = "--skew", defaultValue = "3600",
      description = "Seconds the clock-skew drill moves the wall clock, may be negative "
          + "(default: ${DEFAULT-VALUE}).")
  long skewSeconds;

  @Option(names = "--delay-ms", defaultValue = "500",
      description = "Milliseconds the slow-link drill adds to every link into the target, "
          + "1..60000 (default: ${DEFAULT-VALUE}).")
  long linkDelayMillis;

  @Option(names = "--clients", defaultValue = "4",
      description = "Concurrent client processes; sqs workload: N/2 producers and N/2 "
          + "consumers per queue (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(names = "--keys", defaultValue = "8",
      description = "Registers (objects) the clients share, s3 workload; accounts of the "
          + "table, dynamodb workload (2..25); partition keys, kinesis workload "
          + "(default: ${DEFAULT-VALUE}).")
  int keys;

  @Option(names = "--workload", defaultValue = S3,
      description = "s3: clients read, write and compare-and-set S3 objects; sqs: producers "
          + "and consumers on a standard and a FIFO queue; dynamodb: transfers, atomic reads "
          + "and ledger puts on a table; kinesis: producers with per-key counters and a reader "
          + "per shard of a stream (default: ${DEFAULT-VALUE}).")
  String workloadName;

  @Option(names = "--reshard-every", defaultValue = "0",
      description = "Seconds between UpdateShardCount calls while the producers run, kinesis "
          + "workload (2 shards -> 3 -> 4 -> 2 -> ...; readers follow closed shards to their "
          + "children); 0 = no resharding (default: ${DEFAULT-VALUE}).")
  int reshardEverySeconds;

  @Option(names = "--groups", defaultValue = "4",
      description = "Message groups of the FIFO queue, sqs workload (default: "
          + "${DEFAULT-VALUE}).")
  int groups;

  @Option(names = "--deadline-ms", defaultValue = "1000",
      description = "Client deadline per call; a call past it is recorded as unknown "
          + "(default: ${DEFAULT-VALUE}).")
  long deadlineMillis;

  @Option(names = "--json", description = "Write the report as JSON to this file.")
  Path json;

  @Option(names = "--html", description = "Write the timeline picture (HTML) to this file.")
  Path html;

  @Option(names = "--history", description = "Write the full operation history (JSON).")
  Path historyFile;

  @Override
  public Integer call() throws Exception {
    FabricCluster cluster;
    try {
      if (!FaultCatalog.NAMES.contains(name)) {
        throw new IllegalArgumentException("unknown drill '" + name + "': use "
            + String.join(", ", FaultCatalog.NAMES));
      }
      validate();
      cluster = new FabricCluster(dataDir);
      FaultCatalog.checkSupported(name, cluster);
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("fabric drill: " + e.getMessage());
      return 2;
    }
    List<S3Register> endpoints = cluster.nodes().stream()
        .map(n -> new S3Register(n, deadlineMillis)).toList();
    List<SqsClient> queues = SQS.equals(workloadName)
        ? cluster.nodes().stream()
            .map(n -> new SqsClient(n, QueueDrill.ACCOUNT, deadlineMillis)).toList()
        : List.of();
    List<DynamoClient> tables = DYNAMODB.equals(workloadName)
        ? cluster.nodes().stream()
            .map(n -> new DynamoClient(n, DynamoDrill.ACCOUNT, deadlineMillis)).toList()
        : List.of();
    List<KinesisClient> streams = KINESIS.equals(workloadName)
        ? cluster.nodes().stream()
            .map(n -> new KinesisClient(n, KinesisDrill.ACCOUNT, deadlineMillis)).toList()
        : List.of();
    try {
      return run(cluster, endpoints, queues, tables, streams);
    } finally {
      endpoints.forEach(S3Register::close);
      queues.forEach(SqsClient::close);
      tables.forEach(DynamoClient::close);
      streams.forEach(KinesisClient::close);
    }
  }

  private void validate() {
    if (durationSeconds < 10 || durationSeconds > 86_400) {
      throw new IllegalArgumentException("--duration must be 10..86400 seconds");
    }
    if (intervalSeconds < 1 || intervalSeconds >= durationSeconds) {
      throw new IllegalArgumentException("--interval must be 1..duration-1 seconds");
    }
    if (pauseSeconds < 1 || pauseSeconds > 600) {
      throw new IllegalArgumentException("--pause must be 1..600 seconds");
    }
    if (holdSeconds < 1 || holdSeconds > 600) {
      throw new IllegalArgumentException("--hold must be 1..600 seconds");
    }
    if (lossPercent < 1 || lossPercent > 99) {
      throw new IllegalArgumentException("--loss must be 1..99 percent (a cut is "
          + "partition-pair)");
    }
    if (Math.abs(skewSeconds) > 10L * 365 * 86_400) {
      throw new IllegalArgumentException("--skew must be within 10 years either way");
    }
    if (linkDelayMillis < 1 || linkDelayMillis > 60_000) {
      throw new IllegalArgumentException("--delay-ms must be 1..60000");
    }
    if (clients < 1 || clients > 64 || keys < 1 || keys > 1_000) {
      throw new IllegalArgumentException("--clients must be 1..64 and --keys 1..1000");
    }
    if (!S3.equals(workloadName) && !SQS.equals(workloadName)
        && !DYNAMODB.equals(workloadName) && !KINESIS.equals(workloadName)) {
      throw new IllegalArgumentException("--workload must be s3, sqs, dynamodb or kinesis");
    }
    if (DYNAMODB.equals(workloadName) && (keys < 2 || keys > 25)) {
      throw new IllegalArgumentException("--keys (accounts) must be 2..25 for dynamodb: "
          + "one TransactGetItems reads them all");
    }
    if (reshardEverySeconds < 0 || reshardEverySeconds > 86_400
        || (reshardEverySeconds > 0 && !KINESIS.equals(workloadName))) {
      throw new IllegalArgumentException("--reshard-every must be 0..86400 seconds, and only "
          + "with --workload kinesis");
    }
    if (groups < 1 || groups > 1_000) {
      throw new IllegalArgumentException("--groups must be 1..1000");
    }
    if (deadlineMillis < 100 || deadlineMillis > 60_000) {
      throw new IllegalArgumentException("--deadline-ms must be 100..60000");
    }
  }

  private int run(FabricCluster cluster, List<S3Register> endpoints, List<SqsClient> queues,
      List<DynamoClient> tables, List<KinesisClient> streams) throws Exception {
    String prefix = "drill-" + name + "-" + System.currentTimeMillis() / 1000;
    // The bucket also serves the AZ drills' storage-class probes, whatever the workload.
    String bucket = prefix;
    createBucket(endpoints, bucket);
    Fault fault = FaultCatalog.create(name, new FaultCatalog.Settings(
        Duration.ofSeconds(pauseSeconds), Duration.ofSeconds(holdSeconds), lossPercent,
        Duration.ofSeconds(skewSeconds), Duration.ofMillis(linkDelayMillis)), bucket,
        endpoints);
    History history = History.startingNow();
    DrillWorkload workload = switch (workloadName) {
      case SQS -> QueueDrill.create(history, queues, prefix, Math.max(1, clients / 2), groups);
      case DYNAMODB -> DynamoDrill.create(history, tables, prefix, keys, clients);
      case KINESIS -> KinesisDrill.create(history, streams, prefix, keys, clients,
          Duration.ofSeconds(reshardEverySeconds));
      default -> new RegisterDrill(history, endpoints, bucket, keys, clients, REPLICA_CATCH_UP);
    };
    Progress progress = new Progress(history, Duration.ofSeconds(5));
    System.out.printf("drill %s (%s workload): %s for %d s, a fault every %d s%n", name,
        workloadName, workload.describe(), durationSeconds, intervalSeconds);
    NodeExits exits = new NodeExits(cluster).start();
    // Which calls each fault's outage shows in, by the fault's start.
    Map<Long, Predicate<Call>> affectedByFault = new HashMap<>();
    workload.start();
    progress.start();
    long end = System.nanoTime() + Duration.ofSeconds(durationSeconds).toNanos();
    int round = 0;
    while (System.nanoTime() + Duration.ofSeconds(intervalSeconds).toNanos() < end) {
      Thread.sleep(intervalSeconds * 1_000L);
      DrillWorkload.Target aim = workload.target(round);
      String target = cluster.stableLeaderOf(aim.resource().type(), aim.resource().id())
          .orElse(cluster.nodes().get(round % cluster.nodes().size()).id());
      round++;
      System.out.printf("drill: %s %s (leader of %s)%n", fault.name(), target, aim.resource());
      if (fault instanceof KillNode) {
        exits.expectExit(cluster.node(target).pid());
      }
      FaultEvent done = fault.inject(cluster, target, history);
      affectedByFault.put(done.startNanos(), aim.affects());
      System.out.printf("drill: %s on %s healed after %d ms%n", fault.name(), target,
          (done.endNanos() - done.startNanos()) / 1_000_000);
      if (FaultCatalog.once(fault)) {
        break; // nothing brings the AZ's Cassandra back: one AZ loss per drill
      }
    }
    long left = end - System.nanoTime();
    if (left > 0) {
      Thread.sleep(left / 1_000_000);
    }
    workload.stop();
    progress.stop();
    exits.close();

    List<CheckResult> results = new ArrayList<>(
        workload.check(cluster, !FaultCatalog.leavesAzDown(fault)));
    if (FaultCatalog.downsOnlyWhatItKills(fault)) {
      results.add(exits.check());
    }
    DrillReport report = DrillReport.of(name, history, results,
        recoveryCalculator(affectedByFault));
    System.out.println(TextReport.render(report));
    workload.notes().forEach(n -> System.out.println(n));
    boolean resilienceMet = true;
    if (fault instanceof AzDown azDown) {
      System.out.println("storage classes while the AZ was down:");
      azDown.findings().forEach(f -> System.out.println("  " + f));
      resilienceMet = azDown.expectationsMet();
    }
    if (fault instanceof DiskFull diskFull) {
      System.out.println("disks:");
      diskFull.findings().forEach(f -> System.out.println("  " + f));
    }
    if (json != null) {
      JsonReport.write(report, json);
    }
    if (html != null) {
      HtmlTimeline.write(report, history, html);
    }
    if (historyFile != null) {
      HistoryJson.write(history, historyFile);
    }
    return report.verdict() == DrillVerdict.PASS && resilienceMet ? 0 : 1;
  }

  /**
   * Recovery = from the fault's start to the end of the longest stretch in which no call
   * to the resource it hit succeeded (S3: every key lives in the one bucket; SQS: the calls
   * to the queue whose leader it hit), so that stretch is the resource's outage. The end of
   * the stretch, not the first success after the start: a partitioned leader keeps
   * answering reads until it fences itself, seconds before the outage begins. Calls invoked
   * before the fault do not count, and a stretch shorter than the client deadline is no
   * outage (the fault then had no visible effect).
   */
  private RecoveryCalculator recoveryCalculator(Map<Long, Predicate<Call>> affectedByFault) {
    return RecoveryCalculator.longestOutage(fault -> {
      Predicate<Call> affected = affectedByFault.getOrDefault(fault.startNanos(), c -> true);
      return call -> call.startNanos() >= fault.startNanos() && affected.test(call);
    }, Duration.ofMillis(deadlineMillis));
  }

  private static void createBucket(List<S3Register> endpoints, String bucket)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    S3Register.Result last = null;
    for (int i = 0; System.nanoTime() < deadline; i++) {
      last = endpoints.get(i % endpoints.size()).createBucket(bucket);
      if (last instanceof S3Register.Ok) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("could not create bucket " + bucket + ": " + last);
  }
}
