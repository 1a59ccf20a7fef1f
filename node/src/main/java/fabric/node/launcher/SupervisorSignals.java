package fabric.node.launcher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C and SIGTERM for the supervisor. Handled as signals rather than with a JVM shutdown
 * hook on purpose: shutdown hooks run all at once, and the Cassandra reaper's hook (which
 * SIGKILLs Cassandra so that no test leaves one behind) would pull the journal away from
 * the fabric nodes while they are still handing their shards over. With a handler, the
 * supervisor stops the nodes first, Cassandra after them, and only then lets the JVM exit.
 */
final class SupervisorSignals {
  private static final Logger log = LoggerFactory.getLogger(SupervisorSignals.class);

  private SupervisorSignals() {}

  /**
   * @param ignoreHangup for a supervisor in the background: the terminal it was started
   *     from may close
   */
  static void install(Runnable onStop, boolean ignoreHangup) {
    for (String name : new String[] {"TERM", "INT"}) {
      // A signal ignored when the JVM started (e.g. SIGINT for a job a script put in the
      // background) stays ignored: the JVM keeps it so, as nohup expects.
      if (Signal.handle(new Signal(name), s -> onStop.run()) == SignalHandler.SIG_IGN) {
        log.warn("SIG{} is ignored in this process (started in the background?); "
            + "./fabric down stops the fabric", name);
      }
    }
    if (ignoreHangup) {
      Signal.handle(new Signal("HUP"), SignalHandler.SIG_IGN);
    }
  }
}
