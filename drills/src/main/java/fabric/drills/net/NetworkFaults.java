package fabric.drills.net;

import fabric.drills.cluster.FabricCluster.Cgroups;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Applies link faults to a running fabric with nft and heals them. The rules live in a table
 * of their own, named after the fabric, so healing is deleting that table; a JVM shutdown
 * hook deletes it too, so an interrupted drill never leaves the fabric's network cut.
 */
public final class NetworkFaults implements AutoCloseable {
  private static final long NFT_TIMEOUT_SECONDS = 10;

  private final Cgroups cgroups;
  private final String table;
  private final Thread healOnExit;
  private boolean applied;

  public NetworkFaults(Cgroups cgroups) {
    this.cgroups = cgroups;
    String leaf = Path.of(cgroups.nftRoot()).getFileName().toString();
    this.table = "drill_" + leaf.toLowerCase().replaceAll("[^a-z0-9]", "_");
    this.healOnExit = new Thread(this::healQuietly, "heal-network");
  }

  /** Replaces whatever faults are in place with {@code faults}. */
  public synchronized void apply(List<LinkFault> faults) {
    String script = NftRuleset.render(table, cgroups, faults);
    healQuietly();
    if (!applied) {
      Runtime.getRuntime().addShutdownHook(healOnExit);
      applied = true;
    }
    run(List.of("nft", "-f", "-"), script);
  }

  /** Removes every fault this drill put in place. */
  public synchronized void heal() {
    if (tableExists()) {
      run(List.of("nft", "delete", "table", "inet", table), "");
    }
  }

  @Override
  public synchronized void close() {
    heal();
    if (applied) {
      try {
        Runtime.getRuntime().removeShutdownHook(healOnExit);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook runs anyway
      }
      applied = false;
    }
  }

  private void healQuietly() {
    try {
      heal();
    } catch (IllegalStateException e) {
      System.err.println("drill: could not remove nft table " + table + ": " + e.getMessage());
    }
  }

  private boolean tableExists() {
    try {
      return exec(List.of("nft", "list", "table", "inet", table), "").exitCode == 0;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  private static void run(List<String> command, String stdin) {
    Result r = exec(command, stdin);
    if (r.exitCode != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed (exit "
          + r.exitCode + "): " + r.output.trim()
          + (stdin.isEmpty() ? "" : "\nscript:\n" + stdin));
    }
  }

  private record Result(int exitCode, String output) {}

  private static Result exec(List<String> command, String stdin) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      if (!p.waitFor(NFT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish within "
            + NFT_TIMEOUT_SECONDS + " s");
      }
      return new Result(p.exitValue(),
          new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command.get(0) + " (apt-get install "
          + "nftables; network drills need root): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running nft", e);
    }
  }
}
