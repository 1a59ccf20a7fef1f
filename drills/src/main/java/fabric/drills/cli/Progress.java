package fabric.drills.cli;

import fabric.drills.history.History;
import fabric.drills.history.Op;
import fabric.drills.history.OpType;
import java.time.Duration;
import java.util.List;

/** Prints, every few seconds while a drill runs, how many calls succeeded, failed or hung. */
final class Progress {
  private final History history;
  private final Duration every;
  private final Thread thread;
  private volatile boolean running = true;

  Progress(History history, Duration every) {
    this.history = history;
    this.every = every;
    this.thread = new Thread(this::run, "drill-progress");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  void stop() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join();
  }

  private void run() {
    long startNanos = System.nanoTime();
    int seen = 0;
    while (running) {
      try {
        Thread.sleep(every.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      List<Op> ops = history.ops();
      int ok = 0;
      int fail = 0;
      int info = 0;
      for (Op op : ops.subList(seen, ops.size())) {
        if (op.type() == OpType.OK) {
          ok++;
        } else if (op.type() == OpType.FAIL) {
          fail++;
        } else if (op.type() == OpType.INFO) {
          info++;
        }
      }
      seen = ops.size();
      System.out.printf("  t=%3d s  ok %5d  fail %4d  unknown %4d  (last %d s)%n",
          (System.nanoTime() - startNanos) / 1_000_000_000, ok, fail, info, every.toSeconds());
    }
  }
}
