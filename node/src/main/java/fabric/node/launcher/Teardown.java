package fabric.node.launcher;

import fabric.node.launcher.RecordedProcesses.Live;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code ./fabric down}: stops what {@code ./fabric up --processes N} started on a data dir,
 * by the PIDs in its state file and only those (each checked to still be the process that
 * was recorded). The supervisor goes first: on SIGTERM it stops the nodes one by one and
 * then Cassandra itself, and it restarts nothing while stopping. Whatever still runs after
 * it (the supervisor was killed, or gave up) is stopped here: nodes, then Cassandra.
 */
public final class Teardown {
  private final Path dataDir;
  private final Duration grace;
  private final PrintStream out;

  public Teardown(Path dataDir, Duration grace, PrintStream out) {
    this.dataDir = dataDir.toAbsolutePath().normalize();
    this.grace = grace;
    this.out = out;
  }

  /** @return 0 when nothing of that fabric runs any more */
  public int run() throws InterruptedException {
    Path file = StateFile.in(dataDir);
    Optional<FabricState> recorded = StateFile.read(file);
    if (recorded.isEmpty()) {
      out.println("fabric down: nothing to stop: no fabric started with --processes runs on "
          + dataDir + " (no " + file.getFileName() + ")");
      return 0;
    }
    FabricState state = recorded.get();
    if (RecordedProcesses.all(state).isEmpty()) {
      out.println("fabric down: nothing to stop: none of the processes recorded in " + file
          + " runs any more");
      StateFile.delete(file);
      return 0;
    }
    Optional<Live> supervisor = RecordedProcesses.supervisor(state);
    if (supervisor.isPresent()) {
      // The supervisor stops every node (up to `grace` each) and Cassandra (up to 30 s).
      Duration budget = grace.multipliedBy(state.nodes().size() + 1).plusSeconds(60);
      out.println("fabric down: the supervisor stops the node processes one by one ("
          + state.nodes().size() + "), then Cassandra");
      if (!stop(supervisor.get(), budget)) {
        out.println("fabric down: the supervisor did not finish within " + budget.toSeconds()
            + " s; stopping the rest directly");
      }
      // It may have restarted a node after we read the file: take the latest PIDs.
      state = StateFile.read(file).orElse(state);
    }
    List<Live> nodes = RecordedProcesses.nodes(state);
    for (int i = nodes.size() - 1; i >= 0; i--) {
      stop(nodes.get(i), grace); // one by one, so each hands its shards over
    }
    List<Live> cassandra = RecordedProcesses.cassandra(state);
    // Cassandra nodes stop in parallel: each takes ~15 s to drain.
    CompletableFuture.allOf(cassandra.stream()
        .map(c -> CompletableFuture.runAsync(() -> stopQuietly(c)))
        .toArray(CompletableFuture[]::new)).join();
    List<Live> left = RecordedProcesses.all(state);
    if (!left.isEmpty()) {
      out.println("fabric down: still running: " + left);
      return 1;
    }
    CassandraDisks.unmountAllUnder(dataDir);
    ProcessCgroups.remove(state.cgroups());
    StateFile.delete(file);
    out.println("fabric down: everything started on " + dataDir + " is stopped");
    return 0;
  }

  private void stopQuietly(Live process) {
    try {
      stop(process, grace);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGTERM, then SIGKILL after {@code within}; true if it stopped on SIGTERM. */
  private boolean stop(Live process, Duration within) throws InterruptedException {
    ProcessHandle h = process.handle();
    long t0 = System.nanoTime();
    out.println("fabric down: stopping " + process);
    h.destroy();
    try {
      h.onExit().get(within.toMillis(), TimeUnit.MILLISECONDS);
      out.printf("fabric down: %s stopped in %.1f s%n", process.what(),
          (System.nanoTime() - t0) / 1e9);
      return true;
    } catch (TimeoutException e) {
      out.println("fabric down: " + process + " did not stop within " + within.toSeconds()
          + " s of SIGTERM; killing it");
      h.destroyForcibly();
      try {
        h.onExit().get(10, TimeUnit.SECONDS);
      } catch (TimeoutException | java.util.concurrent.ExecutionException again) {
        out.println("fabric down: " + process + " is still there after SIGKILL");
      }
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      return !h.isAlive();
    }
  }
}
