package fabric.node.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code fabric up} in a child JVM (this test's classpath), so a test can kill -9 the whole
 * process and check that what it acknowledged is still there after a restart.
 */
public final class FabricProcess implements AutoCloseable {
  private final Process process;
  private final List<String> output = new ArrayList<>();
  private final CountDownLatch ready = new CountDownLatch(1);
  public final int grpcPort;

  private FabricProcess(Process process, int grpcPort) {
    this.process = process;
    this.grpcPort = grpcPort;
    Thread reader = new Thread(this::pump, "fabric-process-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code fabric up} with three nodes on free ports and waits for its ready line. */
  public static FabricProcess up(Path dataDir) throws Exception {
    // ./fabric up puts node i on base + i: three consecutive free ports of each kind.
    int grpc = FreePorts.range(3);
    List<String> cmd = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-cp", System.getProperty("java.class.path"),
        "fabric.node.cli.FabricCli", "up",
        "--data-dir", dataDir.toString(),
        "--grpc-port", String.valueOf(grpc),
        "--management-port", String.valueOf(FreePorts.range(3)),
        "--remoting-port", String.valueOf(FreePorts.range(3)));
    FabricProcess p = new FabricProcess(
        new ProcessBuilder(cmd).redirectErrorStream(true).start(), grpc);
    if (!p.ready.await(120, TimeUnit.SECONDS)) {
      p.kill();
      throw new IllegalStateException("fabric up did not get ready:\n" + p.output());
    }
    return p;
  }

  private void pump() {
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        synchronized (output) {
          output.add(line);
        }
        if (line.startsWith("fabric is ready")) {
          ready.countDown();
        }
      }
    } catch (IOException e) {
      // process gone
    }
  }

  public String output() {
    synchronized (output) {
      return String.join("\n", output);
    }
  }

  public long pid() {
    return process.pid();
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed by the JVM. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM: the nodes leave the cluster gracefully. Returns the exit code. */
  public int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("fabric did not stop within 60 s of SIGTERM");
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
