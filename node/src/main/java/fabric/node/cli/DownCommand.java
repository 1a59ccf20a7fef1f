package fabric.node.cli;

import fabric.node.launcher.Teardown;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./fabric down}: stops what {@code ./fabric up --processes N} started. */
@Command(name = "down", mixinStandardHelpOptions = true,
    description = {"Stops the fabric that `./fabric up --processes N` started on --data-dir:",
        "the supervisor, every node process and Cassandra, by the PIDs recorded in",
        "<data-dir>/fabric-up.json (each checked to still be that process)."})
final class DownCommand implements Callable<Integer> {
  @Option(names = "--data-dir", defaultValue = "./data",
      description = "The data dir the fabric was started on (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--timeout", defaultValue = "30",
      description = "Seconds each process gets to stop after SIGTERM before SIGKILL "
          + "(default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    if (timeoutSeconds < 1) {
      System.err.println("fabric down: --timeout must be at least 1 second, got "
          + timeoutSeconds);
      return 2;
    }
    try {
      return new Teardown(dataDir, Duration.ofSeconds(timeoutSeconds), System.out).run();
    } catch (IllegalStateException e) {
      System.err.println("fabric down: " + e.getMessage());
      return 1;
    }
  }
}
