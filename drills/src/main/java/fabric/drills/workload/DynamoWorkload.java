package fabric.drills.workload;

import fabric.drills.check.DynamoChecker;
import fabric.drills.history.History;
import fabric.drills.history.Op;
import fabric.drills.history.OpValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients on one DynamoDB table of accounts and ledger items, each call through the next
 * node in turn (round-robin, skipping for a moment a node that just failed a call), every
 * call recorded in the {@link History} (shapes: {@link DynamoChecker}). Each client picks at
 * random: 40 % a transfer of 1..10 between two random accounts (TransactWriteItems, the
 * debit conditional on {@code balance >= :amount}), 30 % an atomic read of every account
 * (TransactGetItems), 30 % a put of a unique ledger item ({@code l-p3-17}).
 */
public final class DynamoWorkload {
  private static final long AVOID_FAILED_NODE_MILLIS = 1_000;
  private static final long PAUSE_AFTER_FAILURE_MILLIS = 50;

  private final History history;
  private final List<DynamoClient> endpoints;
  private final String table;
  private final List<String> accounts;
  private final int clients;
  private final Map<String, Long> avoidUntil = new ConcurrentHashMap<>();
  private final AtomicLong nextEndpoint = new AtomicLong();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  public DynamoWorkload(History history, List<DynamoClient> endpoints, String table,
      List<String> accounts, int clients) {
    if (endpoints.isEmpty() || accounts.size() < 2 || clients < 1) {
      throw new IllegalArgumentException("need endpoints, two accounts and a client");
    }
    this.history = history;
    this.endpoints = endpoints;
    this.table = table;
    this.accounts = List.copyOf(accounts);
    this.clients = clients;
  }

  public void start() {
    for (int p = 0; p < clients; p++) {
      int process = p;
      Thread t = new Thread(() -> run(process), "drill-dynamodb-" + p);
      t.setDaemon(true);
      threads.add(t);
    }
    threads.forEach(Thread::start);
  }

  public void stop() throws InterruptedException {
    running = false;
    for (Thread t : threads) {
      t.join();
    }
  }

  private void run(int process) {
    long counter = 0;
    ThreadLocalRandom random = ThreadLocalRandom.current();
    while (running) {
      int dice = random.nextInt(100);
      DynamoClient endpoint = pick();
      if (dice < 40) {
        int from = random.nextInt(accounts.size());
        int to = (from + 1 + random.nextInt(accounts.size() - 1)) % accounts.size();
        long amount = 1 + random.nextInt(10);
        Op op = history.invoke(process, DynamoChecker.TRANSFER, table, OpValue.of(
            accounts.get(from) + ">" + accounts.get(to) + ":" + amount));
        SqsClient.Result<Void> r = endpoint.transfer(table, accounts.get(from),
            accounts.get(to), amount);
        if (r instanceof SqsClient.Ok<Void>) {
          history.ok(op);
        } else {
          record(op, r, endpoint);
        }
      } else if (dice < 70) {
        Op op = history.invoke(process, DynamoChecker.ATOMIC_READ, table, null);
        SqsClient.Result<Map<String, Long>> r = endpoint.balances(table, accounts);
        if (r instanceof SqsClient.Ok<Map<String, Long>> ok) {
          history.ok(op, OpValue.of(DynamoChecker.balancesText(ok.value())));
        } else {
          record(op, r, endpoint);
        }
      } else {
        String id = "l-p" + process + "-" + (++counter);
        Op op = history.invoke(process, DynamoChecker.PUT, table, OpValue.of(id));
        SqsClient.Result<Void> r = endpoint.putLedger(table, id, id);
        if (r instanceof SqsClient.Ok<Void>) {
          history.ok(op);
        } else {
          record(op, r, endpoint);
        }
      }
    }
  }

  /**
   * After the workload: an atomic read of every account, retried (through every node in
   * turn) until one answers or {@code within} passes. Reads that find a transaction a crash
   * cut half-way finish it (or cancel it once abandoned), so retrying is what settles them.
   */
  public Optional<Map<String, Long>> finalBalances(Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    for (int i = 0; System.nanoTime() < deadline; i++) {
      SqsClient.Result<Map<String, Long>> r = endpoints.get(i % endpoints.size())
          .balances(table, accounts);
      if (r instanceof SqsClient.Ok<Map<String, Long>> ok) {
        return Optional.of(ok.value());
      }
      Thread.sleep(200);
    }
    return Optional.empty();
  }

  /**
   * Reads back every ledger item any put may have written (acknowledged or unknown), with
   * strongly consistent GetItems, each retried through every node until it answers or
   * {@code within} (for all of them) passes; items never answered are left out.
   */
  public Map<String, Optional<String>> readLedger(List<String> ids, Duration within)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    Map<String, Optional<String>> out = new LinkedHashMap<>();
    int turn = 0;
    for (String id : ids) {
      while (System.nanoTime() < deadline) {
        SqsClient.Result<Optional<String>> r = endpoints.get(turn++ % endpoints.size())
            .getLedger(table, id);
        if (r instanceof SqsClient.Ok<Optional<String>> ok) {
          out.put(id, ok.value());
          break;
        }
        Thread.sleep(100);
      }
    }
    return out;
  }

  private void record(Op op, SqsClient.Result<?> result, DynamoClient endpoint) {
    if (result instanceof SqsClient.Failed<?> failed) {
      history.fail(op, failed.error());
    } else {
      history.info(op, ((SqsClient.Unknown<?>) result).error());
      avoidUntil.put(endpoint.nodeId(), System.currentTimeMillis() + AVOID_FAILED_NODE_MILLIS);
    }
    try {
      Thread.sleep(PAUSE_AFTER_FAILURE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The next node in turn that did not just fail a call; any node if all did. */
  private DynamoClient pick() {
    long now = System.currentTimeMillis();
    for (int attempt = 0; attempt < endpoints.size(); attempt++) {
      DynamoClient candidate = endpoints.get(
          (int) (nextEndpoint.getAndIncrement() % endpoints.size()));
      if (avoidUntil.getOrDefault(candidate.nodeId(), 0L) <= now) {
        return candidate;
      }
    }
    return endpoints.get((int) (nextEndpoint.getAndIncrement() % endpoints.size()));
  }
}
