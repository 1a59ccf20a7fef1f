package fabric.bench;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * One (object size, thread count) cell of the S3 benchmark: a fixed pool of keys per worker
 * thread, and the PUT, GET and mixed phases run over that pool. Workers persist across the
 * phases so that GET reads what PUT wrote. {@link #runTogether} is the thread harness
 * (common start line, warm-up, measured window) that the SQS benchmark shares.
 */
final class Workload {
  enum Phase { PUT, GET, MIXED }

  private final String bucket;
  private final long size;
  private final int threads;
  private final Duration warmup;
  private final Duration duration;
  private final List<Worker> workers = new ArrayList<>();

  /**
   * @param targets one {@link S3Ops} per target; thread i talks to target i mod n
   * @param payload random bytes, at least {@code size} long; bodies are slices of it
   */
  Workload(List<S3Ops> targets, String bucket, long size, int threads, int keysPerThread,
      ByteString payload, Duration warmup, Duration duration) {
    if (size > payload.size()) {
      throw new IllegalArgumentException("payload smaller than object size " + size);
    }
    this.bucket = bucket;
    this.size = size;
    this.threads = threads;
    this.warmup = warmup;
    this.duration = duration;
    for (int t = 0; t < threads; t++) {
      String prefix = "bench/" + Units.formatSize(size) + "/x" + threads + "/t" + t + "/";
      workers.add(new Worker(targets.get(t % targets.size()), prefix, keysPerThread,
          payload, new SplittableRandom(31L * t + size)));
    }
  }

  /** Runs one phase: all threads start together, warm up, then measure for the duration. */
  List<ResultRow> run(Phase phase) throws InterruptedException {
    List<Task> tasks = new ArrayList<>();
    for (Worker w : workers) {
      tasks.add(new Task() {
        @Override
        public void prepare() throws InterruptedException {
          // GET must not measure NOT_FOUND for keys the PUT phase never got round to writing.
          if (phase != Phase.PUT) {
            w.fillUnwritten();
          }
        }

        @Override
        public void run(Clock clock) throws InterruptedException {
          w.loop(phase, clock);
        }
      });
    }
    Clock clock = runTogether(tasks, warmup, duration,
        t -> "bench-" + phase.name().toLowerCase() + "-" + Units.formatSize(size) + "-t" + t);
    return rows(phase, clock);
  }

  /** The body of one benchmark thread (see {@link #runTogether}). */
  interface Task {
    /** Unmeasured set-up, done before the common start line. */
    default void prepare() throws InterruptedException {}

    /** The thread's work: loops until {@link Clock#end}, measuring from measureStart on. */
    void run(Clock clock) throws InterruptedException;
  }

  /**
   * Runs each task on its own thread: every thread prepares, then all start together; the
   * measurement starts {@code warmup} after the start line and lasts {@code duration}.
   * Returns once every thread has finished. A task that throws anything but an interrupt is
   * a bug in the benchmark, not a server error, so it fails the run instead of being counted.
   */
  static Clock runTogether(List<? extends Task> tasks, Duration warmup, Duration duration,
      IntFunction<String> threadName) throws InterruptedException {
    Clock clock = new Clock();
    CountDownLatch ready = new CountDownLatch(tasks.size());
    CountDownLatch go = new CountDownLatch(1);
    AtomicReference<Throwable> crash = new AtomicReference<>();
    List<Thread> running = new ArrayList<>();
    for (int t = 0; t < tasks.size(); t++) {
      Task task = tasks.get(t);
      Thread thread = new Thread(() -> {
        try {
          task.prepare();
          ready.countDown();
          go.await();
          task.run(clock);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (Throwable e) {
          crash.compareAndSet(null, e);
        } finally {
          ready.countDown(); // harmless extra count if it crashed before the start line
        }
      }, threadName.apply(t));
      thread.setDaemon(true);
      running.add(thread);
      thread.start();
    }
    ready.await();
    long now = System.nanoTime();
    clock.measureStart = now + warmup.toNanos();
    clock.end = clock.measureStart + duration.toNanos();
    go.countDown(); // the latch publishes the clock fields to the workers
    for (Thread thread : running) {
      thread.join();
    }
    if (crash.get() != null) {
      // A bug in the benchmark itself, not a server error: do not hide it in a counter.
      throw new IllegalStateException("benchmark worker crashed", crash.get());
    }
    return clock;
  }

  /** Deletes every key this workload may have written, so the next cell starts lean. */
  void deleteKeys() {
    for (Worker w : workers) {
      w.deleteAll();
    }
  }

  private List<ResultRow> rows(Phase phase, Clock clock) {
    OpStats puts = new OpStats();
    OpStats gets = new OpStats();
    long lastEnd = clock.end;
    for (Worker w : workers) {
      puts.add(w.puts);
      gets.add(w.gets);
      w.puts = new OpStats();
      w.gets = new OpStats();
      lastEnd = Math.max(lastEnd, w.lastMeasuredEnd);
    }
    // Ops that started inside the window are counted whole, so the window is stretched to
    // the end of the last of them: an 8 MiB PUT finishing after the deadline still took time.
    double seconds = (lastEnd - clock.measureStart) / 1e9;
    return switch (phase) {
      case PUT -> List.of(ResultRow.of("put", size, threads, seconds, puts));
      case GET -> List.of(ResultRow.of("get", size, threads, seconds, gets));
      case MIXED -> List.of(ResultRow.of("mixed-put", size, threads, seconds, puts),
          ResultRow.of("mixed-get", size, threads, seconds, gets));
    };
  }

  /** Start of measurement and end of the phase, in System.nanoTime() terms. */
  static final class Clock {
    long measureStart;
    long end;

    /** True for a time inside the measured window [measureStart, end). */
    boolean inWindow(long nanoTime) {
      return nanoTime - measureStart >= 0 && nanoTime - end < 0;
    }
  }

  /** One client thread: owns its keys, its random source and its stats (no sharing). */
  private final class Worker {
    private final S3Ops s3;
    private final String[] keys;
    private final boolean[] written;
    private final ByteString payload;
    private final SplittableRandom random;
    private int nextPut;
    OpStats puts = new OpStats();
    OpStats gets = new OpStats();
    long lastMeasuredEnd;

    Worker(S3Ops s3, String prefix, int keyCount, ByteString payload, SplittableRandom random) {
      this.s3 = s3;
      this.keys = new String[keyCount];
      for (int i = 0; i < keyCount; i++) {
        keys[i] = prefix + "k" + i;
      }
      this.written = new boolean[keyCount];
      this.payload = payload;
      this.random = random;
    }

    void loop(Phase phase, Clock clock) throws InterruptedException {
      boolean putNext = true;
      for (long start = System.nanoTime(); start - clock.end < 0; start = System.nanoTime()) {
        boolean measured = start - clock.measureStart >= 0;
        boolean doPut = phase == Phase.PUT || (phase == Phase.MIXED && putNext);
        putNext = !putNext;
        long end = doPut
            ? put(phase == Phase.PUT ? nextPut++ % keys.length : random.nextInt(keys.length),
                start, measured ? puts : null)
            : get(random.nextInt(keys.length), start, measured ? gets : null);
        if (measured) {
          lastMeasuredEnd = Math.max(lastMeasuredEnd, end);
        }
      }
    }

    void fillUnwritten() throws InterruptedException {
      for (int i = 0; i < keys.length; i++) {
        if (!written[i]) {
          put(i, System.nanoTime(), null);
        }
      }
    }

    /** PUTs key i with a freshly offset body; returns the end time. Null stats: unmeasured. */
    private long put(int i, long start, OpStats stats) throws InterruptedException {
      // A random offset into the shared payload gives each PUT different content (so no
      // server-side dedup or cache can flatter it) without allocating a body per op.
      int offset = random.nextInt((int) (payload.size() - size) + 1);
      try {
        s3.put(bucket, keys[i], payload.substring(offset, offset + (int) size));
        long end = System.nanoTime();
        written[i] = true;
        if (stats != null) {
          stats.recordSuccess(end - start, size);
        }
        return end;
      } catch (StatusRuntimeException e) {
        return failed(stats, e.getStatus().getCode().name());
      }
    }

    private long get(int i, long start, OpStats stats) throws InterruptedException {
      try {
        long received = s3.get(bucket, keys[i]);
        long end = System.nanoTime();
        if (received != size) {
          return failed(stats, received < size ? OpStats.SHORT_READ : OpStats.LONG_READ);
        }
        if (stats != null) {
          stats.recordSuccess(end - start, size);
        }
        return end;
      } catch (StatusRuntimeException e) {
        return failed(stats, e.getStatus().getCode().name());
      }
    }

    private long failed(OpStats stats, String code) throws InterruptedException {
      long end = System.nanoTime();
      if (stats != null) {
        stats.recordError(code);
      }
      pauseAfterError();
      return end;
    }

    void deleteAll() {
      for (int i = 0; i < keys.length; i++) {
        if (written[i]) {
          try {
            s3.deleteObject(bucket, keys[i]);
            written[i] = false;
          } catch (StatusRuntimeException e) {
            // Best effort: a leftover key costs space, not correctness.
          }
        }
      }
    }
  }

  /**
   * After a failed call: an unreachable node fails in microseconds; without a pause the
   * thread would spin and count millions of identical errors while starving the healthy
   * threads of CPU.
   */
  static void pauseAfterError() throws InterruptedException {
    Thread.sleep(1);
  }
}
