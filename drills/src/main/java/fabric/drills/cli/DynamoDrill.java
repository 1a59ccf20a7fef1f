package fabric.drills.cli;

import fabric.drills.check.CheckResult;
import fabric.drills.check.DynamoChecker;
import fabric.drills.cluster.FabricCluster;
import fabric.drills.history.Call;
import fabric.drills.history.History;
import fabric.drills.history.OpValue;
import fabric.drills.workload.DynamoClient;
import fabric.drills.workload.DynamoWorkload;
import fabric.drills.workload.SqsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The DynamoDB workload: one table, created fresh, of {@code accounts} accounts starting at
 * {@link #START_BALANCE} each, with transfers, atomic reads and ledger puts
 * ({@link DynamoWorkload}); every fault hits the leader of the table's partition. Afterwards
 * the accounts are read atomically until a read answers (it must sum to the initial sum) and
 * every ledger item is read back (each acknowledged one with its value).
 */
final class DynamoDrill implements DrillWorkload {
  static final String ACCOUNT = QueueDrill.ACCOUNT;
  static final long START_BALANCE = 100;
  /** Enough for a failover or two, and for abandoned transactions to be cancelled. */
  static final Duration FINAL_READS = Duration.ofMinutes(2);

  private final History history;
  private final List<DynamoClient> endpoints;
  private final String table;
  private final String partition;
  private final List<String> accounts;
  private final int clients;
  private final DynamoWorkload workload;
  private final List<String> notes = new ArrayList<>();

  private DynamoDrill(History history, List<DynamoClient> endpoints, String table,
      String tablePath, List<String> accounts, int clients) {
    this.history = history;
    this.endpoints = endpoints;
    this.table = table;
    this.partition = ACCOUNT + "/" + tablePath + "/p0";
    this.accounts = accounts;
    this.clients = clients;
    this.workload = new DynamoWorkload(history, endpoints, table, accounts, clients);
  }

  /**
   * Creates the table and its accounts (retrying through every node for up to a minute: a
   * cold fabric may still be starting its shards).
   */
  static DynamoDrill create(History history, List<DynamoClient> endpoints, String table,
      int accountCount, int clients) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    SqsClient.Result<?> last = null;
    String tablePath = null;
    for (int i = 0; tablePath == null && System.nanoTime() < deadline; i++) {
      DynamoClient c = endpoints.get(i % endpoints.size());
      last = c.createTable(table);
      if (!(last instanceof SqsClient.Unknown<?>)) {
        last = c.tablePath(table); // created now, or by a try whose answer was lost
        if (last instanceof SqsClient.Ok<?> ok) {
          tablePath = (String) ok.value();
          break;
        }
      }
      Thread.sleep(500);
    }
    if (tablePath == null) {
      throw new IllegalStateException("could not create table " + table + ": " + last);
    }
    List<String> accounts = IntStream.range(0, accountCount).mapToObj(i -> "acct-" + i)
        .toList();
    for (String id : accounts) {
      boolean done = false;
      for (int i = 0; !done && System.nanoTime() < deadline; i++) {
        last = endpoints.get(i % endpoints.size()).putAccount(table, id, START_BALANCE);
        done = last instanceof SqsClient.Ok<?>;
        if (!done) {
          Thread.sleep(500);
        }
      }
      if (!done) {
        throw new IllegalStateException("could not create account " + id + ": " + last);
      }
    }
    return new DynamoDrill(history, endpoints, table, tablePath, accounts, clients);
  }

  @Override
  public String describe() {
    return clients + " clients on " + accounts.size() + " accounts (" + START_BALANCE
        + " each) and ledger items of table " + table + " through " + endpoints.size()
        + " nodes";
  }

  @Override
  public void start() {
    workload.start();
  }

  /** The table has one partition, whose leader every fault hits: every call counts. */
  @Override
  public Target target(int round) {
    return new Target(new Resource("TablePartition", partition), call -> true);
  }

  @Override
  public void stop() throws InterruptedException {
    workload.stop();
  }

  @Override
  public List<CheckResult> check(FabricCluster cluster, boolean checkReplicas)
      throws InterruptedException {
    long start = System.nanoTime();
    Optional<Map<String, Long>> balances = workload.finalBalances(FINAL_READS);
    long finalAt = history.calls().isEmpty() ? 0 : System.nanoTime() - start;
    List<String> ledgerIds = history.calls().stream()
        .filter(c -> c.key().equals(table) && DynamoChecker.PUT.equals(c.f())
            && !c.outcome().equals(fabric.drills.history.OpType.FAIL))
        .map(Call::invoke).map(op -> OpValue.text(op.value())).distinct().toList();
    Map<String, Optional<String>> ledger = workload.readLedger(ledgerIds, FINAL_READS);
    notes.add(String.format("final reads: %s atomic read after %.1f s; %d of %d ledger items "
        + "read back in %.1f s", balances.isPresent() ? "an" : "NO", finalAt / 1e9,
        ledger.size(), ledgerIds.size(), (System.nanoTime() - start) / 1e9));
    long initialSum = START_BALANCE * accounts.size();
    List<CheckResult> results = new ArrayList<>();
    results.add(DynamoChecker.balances(history.calls(), table, initialSum, balances, -1));
    results.add(DynamoChecker.ledger(history, table, ledger));
    if (checkReplicas) {
      results.add(ReplicaConvergence.check(cluster, "TablePartition", partition,
          Duration.ofSeconds(60)));
    }
    return results;
  }

  @Override
  public List<String> notes() {
    return notes;
  }
}
