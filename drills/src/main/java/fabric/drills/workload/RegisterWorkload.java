package fabric.drills.workload;

import fabric.drills.history.History;
import fabric.drills.history.Op;
import fabric.drills.history.OpValue;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Client processes that read, write and compare-and-set a few registers (S3 objects of one
 * bucket) as fast as answers come, each through any node of the cluster, recording every
 * call in the {@link History}. Every written value is unique ("p3-17"), which keeps the
 * checkers exact and fast. A node that just failed a call is avoided for a moment, as a
 * load balancer would, so the measured outage is the service's, not one dead endpoint's.
 */
public final class RegisterWorkload {
  private static final long AVOID_FAILED_NODE_MILLIS = 1_000;

  private final History history;
  private final List<S3Register> endpoints;
  private final String bucket;
  private final List<String> keys;
  private final int processes;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Map<String, Long> avoidUntil = new ConcurrentHashMap<>();
  private Thread[] threads;

  public RegisterWorkload(History history, List<S3Register> endpoints, String bucket,
      List<String> keys, int processes) {
    if (endpoints.isEmpty() || keys.isEmpty() || processes < 1) {
      throw new IllegalArgumentException("need endpoints, keys and at least one process");
    }
    this.history = history;
    this.endpoints = endpoints;
    this.bucket = bucket;
    this.keys = keys;
    this.processes = processes;
  }

  public void start() {
    threads = new Thread[processes];
    for (int p = 0; p < processes; p++) {
      int process = p;
      threads[p] = new Thread(() -> run(process), "drill-client-" + p);
      threads[p].setDaemon(true);
      threads[p].start();
    }
  }

  /** Stops issuing calls and waits for the calls in flight to end. */
  public void stop() throws InterruptedException {
    running.set(false);
    for (Thread t : threads) {
      t.join();
    }
  }

  private void run(int process) {
    Random random = new Random(process * 7919L + System.nanoTime());
    Map<String, String> lastSeen = new HashMap<>();
    long counter = 0;
    while (running.get()) {
      String key = keys.get(random.nextInt(keys.size()));
      S3Register endpoint = pick(random);
      int dice = random.nextInt(100);
      if (dice < 50) {
        Op op = history.invoke(process, Op.READ, key, null);
        S3Register.Result r = endpoint.read(bucket, key);
        if (r instanceof S3Register.Ok ok) {
          history.ok(op, OpValue.of(ok.value()));
          lastSeen.put(key, ok.value());
        } else {
          record(op, r, endpoint);
        }
      } else if (dice < 80) {
        String value = "p" + process + "-" + (++counter);
        Op op = history.invoke(process, Op.WRITE, key, OpValue.of(value));
        S3Register.Result r = endpoint.write(bucket, key, value);
        if (r instanceof S3Register.Ok) {
          history.ok(op);
          lastSeen.put(key, value);
        } else {
          record(op, r, endpoint);
        }
      } else {
        String expected = lastSeen.get(key);
        String value = "p" + process + "-" + (++counter);
        Op op = history.invoke(process, Op.CAS, key, OpValue.cas(expected, value));
        S3Register.Result r = endpoint.compareAndSet(bucket, key, expected, value);
        if (r instanceof S3Register.Ok) {
          history.ok(op);
          lastSeen.put(key, value);
        } else {
          record(op, r, endpoint);
          lastSeen.remove(key); // unknown now: the next cas expects "absent" or a fresh read
        }
      }
    }
  }

  private void record(Op op, S3Register.Result result, S3Register endpoint) {
    if (result instanceof S3Register.Failed failed) {
      history.fail(op, failed.error());
    } else {
      history.info(op, ((S3Register.Unknown) result).error());
      avoidUntil.put(endpoint.nodeId(), System.currentTimeMillis() + AVOID_FAILED_NODE_MILLIS);
    }
  }

  private S3Register pick(Random random) {
    long now = System.currentTimeMillis();
    for (int attempt = 0; attempt < 2 * endpoints.size(); attempt++) {
      S3Register candidate = endpoints.get(random.nextInt(endpoints.size()));
      if (avoidUntil.getOrDefault(candidate.nodeId(), 0L) <= now) {
        return candidate;
      }
    }
    return endpoints.get(random.nextInt(endpoints.size()));
  }
}
