package fabric.drills.cluster;

import java.io.IOException;

/** Sends POSIX signals to processes the fabric recorded: kill -9, SIGSTOP, SIGCONT. */
public final class Signals {
  private Signals() {}

  public static void kill9(long pid) {
    send("-KILL", pid);
  }

  public static void stop(long pid) {
    send("-STOP", pid);
  }

  public static void cont(long pid) {
    send("-CONT", pid);
  }

  private static void send(String signal, long pid) {
    if (pid <= 1) {
      throw new IllegalArgumentException("refusing to signal pid " + pid);
    }
    try {
      Process p = new ProcessBuilder("kill", signal, Long.toString(pid))
          .redirectErrorStream(true).start();
      if (p.waitFor() != 0) {
        throw new IllegalStateException("kill " + signal + " " + pid + " failed: "
            + new String(p.getInputStream().readAllBytes()).trim());
      }
    } catch (IOException e) {
      throw new IllegalStateException("kill " + signal + " " + pid + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
