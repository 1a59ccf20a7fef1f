package fabric.core.cassandra;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Kills still-running Cassandra children when this JVM exits, so a test that crashed or
 * forgot {@code close()} never leaves a server holding ports and memory. Only processes we
 * started are tracked (by handle, i.e. by PID), never anything found by name.
 *
 * <p>It cannot help when this JVM itself is killed with SIGKILL; such a child keeps running
 * and must be stopped by the PID in its log dir's {@code cassandra.pid}.
 */
final class ChildProcessReaper {

  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
  private static volatile boolean hookInstalled;

  private ChildProcessReaper() {}

  static void register(Process process) {
    installHook();
    LIVE.add(process);
    // Forget processes that end by themselves, so the set does not grow in long test runs.
    process.onExit().thenRun(() -> LIVE.remove(process));
  }

  static void unregister(Process process) {
    LIVE.remove(process);
  }

  private static synchronized void installHook() {
    if (hookInstalled) {
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(ChildProcessReaper::killAll,
        "fabric-cassandra-reaper"));
    hookInstalled = true;
  }

  // SIGKILL rather than a graceful stop: shutdown hooks should be quick, and the data of a
  // test node is disposable.
  private static void killAll() {
    for (Process p : LIVE) {
      p.destroyForcibly();
    }
    for (Process p : LIVE) {
      try {
        p.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
