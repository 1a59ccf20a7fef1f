package fabric.core.cassandra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs Cassandra's nodetool against a local node (e.g. {@code status} to see dc/rack and
 * up/down, or {@code drain}), from the same jars. The node needs a JMX port
 * ({@link CassandraNodeConfig.Builder#jmxPort}).
 */
public final class NodeTool {

  static final String JMX_HOST = "127.0.0.1";

  private NodeTool() {}

  /** @return nodetool's stdout; throws with its output if it fails or times out */
  public static String run(LocalCassandra node, Duration timeout, String... args) {
    CassandraNodeConfig c = node.config();
    if (c.jmxPort() == CassandraNodeConfig.NO_JMX) {
      throw new IllegalStateException("node has no JMX port; set jmxPort(0) in its config");
    }
    Path lib = CassandraJars.resolve(c.libDir());
    CassandraConfigFiles files = new CassandraConfigFiles(c.dataDir());
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx128m");
    // Not only sun.nio.ch as sometimes said: nodetool's FileUtils needs jdk.internal.ref too.
    cmd.addAll(Java17Flags.ARGS);
    cmd.add("-Dlogback.configurationFile=" + files.toolsLogback.toUri());
    cmd.add("-cp");
    cmd.add(lib.resolve("*").toString());
    cmd.add("org.apache.cassandra.tools.NodeTool");
    // -Dcassandra.jmx.local.port binds JMX to the loopback address 127.0.0.1 only, whatever
    // the node's listen_address (127.0.0.2 for a cluster's second node): connect there.
    cmd.addAll(List.of("-h", JMX_HOST, "-p", Integer.toString(c.jmxPort())));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).directory(c.dataDir().toFile()).start();
      p.getOutputStream().close();
      // Read both streams concurrently so neither pipe can fill up and block nodetool.
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p, true));
      String out = drain(p, false);
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("nodetool " + String.join(" ", args) + " timed out");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException("nodetool " + String.join(" ", args) + " exited with "
            + p.exitValue() + ":\n" + out + err.join());
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run nodetool", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running nodetool", e);
    }
  }

  private static String drain(Process p, boolean stderr) {
    try {
      byte[] bytes = (stderr ? p.getErrorStream() : p.getInputStream()).readAllBytes();
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read nodetool output: " + e + ")";
    }
  }
}
