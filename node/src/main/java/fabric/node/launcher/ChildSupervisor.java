package fabric.node.launcher;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps child processes running as Kubernetes keeps pods running: a child that exits while
 * the supervisor is not stopping is started again (restart policy {@code always}) after a
 * delay that doubles while it keeps failing fast, or left down ({@code never}). Knows nothing
 * about fabric nodes: each child is a name and a command, asked anew for every start, so a
 * restart can start differently from the first start (see {@link LaunchPlan#seedsFor}).
 */
public final class ChildSupervisor {
  private static final Logger log = LoggerFactory.getLogger(ChildSupervisor.class);

  /**
   * @param command the process to start; its argument is how often this child was started
   *     before (0 for the first start)
   */
  public record Child(String name, String label, IntFunction<ProcessBuilder> command) {}

  /**
   * Restart delays: {@code initial} after a child that ran for at least {@code healthyAfter},
   * doubling with every further quick exit up to {@code max}, as a crash loop backs off.
   */
  public record Backoff(Duration initial, Duration max, Duration healthyAfter) {
    public static final Backoff DEFAULT =
        new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(60));

    Duration delay(int quickExitsBefore) {
      long millis = initial.toMillis() << Math.min(quickExitsBefore, 20);
      return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }
  }

  /** Told about every new process of a child, e.g. to record its PID. */
  public interface Listener {
    void started(Child child, Process process, int restarts);
  }

  private final class Slot {
    final Child child;
    Process process;
    long startedAtNanos;
    int starts;
    int quickExits;
    ScheduledFuture<?> pendingRestart;

    Slot(Child child) {
      this.child = child;
    }
  }

  private final List<Slot> slots = new ArrayList<>();
  private final LaunchPlan.RestartPolicy policy;
  private final Backoff backoff;
  private final Listener listener;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "fabric-supervisor-restarts");
    t.setDaemon(true);
    return t;
  });
  private boolean stopping;

  public ChildSupervisor(List<Child> children, LaunchPlan.RestartPolicy policy, Backoff backoff,
      Listener listener) {
    children.forEach(c -> slots.add(new Slot(c)));
    this.policy = policy;
    this.backoff = backoff;
    this.listener = listener;
  }

  /** Starts every child at once; a child that cannot be started is retried like an exit. */
  public void startAll() {
    for (Slot slot : slots) {
      launch(slot);
    }
  }

  /** Starts one child for the first time (the caller paces the starts). */
  public void start(String name) {
    launch(slots.stream().filter(s -> s.child.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no child " + name)));
  }

  private void launch(Slot slot) {
    Process process;
    int restarts;
    synchronized (this) {
      slot.pendingRestart = null;
      if (stopping) {
        return;
      }
      restarts = slot.starts;
      try {
        process = slot.child.command().apply(slot.starts).start();
      } catch (IOException | RuntimeException e) {
        log.error("cannot start {}: {}", slot.child.label(), e.toString());
        slot.starts++;
        afterExit(slot, Duration.ZERO);
        return;
      }
      slot.process = process;
      slot.startedAtNanos = System.nanoTime();
      slot.starts++;
      log.info("{} started as PID {}{}", slot.child.label(), process.pid(),
          restarts == 0 ? "" : " (restart " + restarts + ")");
      // Under the lock: a quick exit and restart must not overtake this PID's record.
      listener.started(slot.child, process, restarts);
    }
    process.onExit().thenAccept(p -> exited(slot, p));
  }

  private synchronized void exited(Slot slot, Process process) {
    if (slot.process != process || stopping) {
      return; // an old incarnation, or stopAll() is taking care of it
    }
    Duration ran = Duration.ofNanos(System.nanoTime() - slot.startedAtNanos);
    String what = slot.child.label() + " exited with code " + describe(process.exitValue());
    if (policy == LaunchPlan.RestartPolicy.NEVER) {
      log.warn("{}; not restarting it (--restart never)", what);
      return;
    }
    Duration delay = afterExit(slot, ran);
    log.warn("{}; restarting in {} s", what, delay.toMillis() / 1000.0);
  }

  /** Schedules the next start of a child that stopped after running {@code ran}. */
  private Duration afterExit(Slot slot, Duration ran) {
    slot.quickExits = ran.compareTo(backoff.healthyAfter()) < 0 ? slot.quickExits + 1 : 0;
    Duration delay = backoff.delay(Math.max(0, slot.quickExits - 1));
    if (policy == LaunchPlan.RestartPolicy.ALWAYS) {
      slot.pendingRestart = timer.schedule(() -> launch(slot), delay.toMillis(),
          TimeUnit.MILLISECONDS);
    }
    return delay;
  }

  /** 137 (SIGKILL), 255 (downed: Pekko exits with -1), ... */
  static String describe(int code) {
    if (code == 255) {
      return "255 (downed by the cluster or could not join)";
    }
    if (code > 128 && code < 160) {
      return code + " (signal " + (code - 128) + ")";
    }
    return Integer.toString(code);
  }

  /** The current process of a child, if it was started and has not exited. */
  public synchronized Optional<Process> process(String name) {
    return slots.stream().filter(s -> s.child.name().equals(name)).findFirst()
        .map(s -> s.process).filter(Process::isAlive);
  }

  /** How often the child was started (1 after the first start). */
  public synchronized int starts(String name) {
    return slots.stream().filter(s -> s.child.name().equals(name)).findFirst()
        .map(s -> s.starts).orElse(0);
  }

  /**
   * Stops every child, one at a time, the last one first: SIGTERM (a fabric node leaves the
   * cluster and hands its shards over), then SIGKILL if it is still there after
   * {@code grace}. Nothing is restarted any more once this began.
   */
  public void stopAll(Duration grace) {
    List<Slot> order;
    synchronized (this) {
      stopping = true;
      for (Slot s : slots) {
        if (s.pendingRestart != null) {
          s.pendingRestart.cancel(false);
        }
      }
      order = new ArrayList<>(slots);
    }
    timer.shutdownNow();
    for (int i = order.size() - 1; i >= 0; i--) {
      Slot slot = order.get(i);
      Process p = slot.process;
      if (p != null && p.isAlive()) {
        stop(slot.child, p, grace);
      }
    }
  }

  private static void stop(Child child, Process p, Duration grace) {
    long t0 = System.nanoTime();
    log.info("stopping {}, PID {}", child.label(), p.pid());
    p.destroy();
    try {
      if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("{} did not stop within {} s of SIGTERM; killing it", child.label(),
            grace.toSeconds());
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        return;
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      return;
    }
    log.info("{} stopped in {} s", child.label(),
        String.format("%.1f", (System.nanoTime() - t0) / 1e9));
  }

  /** Last resort when the supervisor itself goes away: SIGKILL whatever still runs. */
  public void killAll() {
    List<Process> running = new ArrayList<>();
    synchronized (this) {
      stopping = true;
      slots.forEach(s -> {
        if (s.process != null && s.process.isAlive()) {
          running.add(s.process);
        }
      });
    }
    running.forEach(Process::destroyForcibly);
  }
}
