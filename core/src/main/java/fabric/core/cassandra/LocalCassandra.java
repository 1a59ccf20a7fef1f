package fabric.core.cassandra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * One real Apache Cassandra node, run as a child JVM from the cassandra-all jars. Built for
 * tests: {@code try (var c = LocalCassandra.start(config)) { ... }}.
 *
 * <p>{@link #launch()} and {@link #awaitReady()} are separate so a cluster can launch all its
 * nodes first and then wait for them together (much faster than one after another).
 * After {@link #kill()} or {@link #close()} the same instance can {@link #start()} again on
 * the same ports and data dir.
 */
public final class LocalCassandra implements AutoCloseable {

  private static final Duration GRACEFUL_STOP = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(250);
  private static final Path SETSID = Path.of("/usr/bin/setsid");

  private final CassandraNodeConfig config;
  private final CassandraConfigFiles files;
  private Process process;
  private CassandraLogWatcher log;
  private long launchedAtNanos;
  private Duration lastStartupTime;

  public LocalCassandra(CassandraNodeConfig config) {
    this.config = config;
    this.files = new CassandraConfigFiles(config.dataDir());
  }

  /** Launches a node and waits until it serves CQL; on failure nothing is left running. */
  public static LocalCassandra start(CassandraNodeConfig config) {
    LocalCassandra node = new LocalCassandra(config);
    node.start();
    return node;
  }

  public synchronized LocalCassandra start() {
    launch();
    awaitReady();
    return this;
  }

  /** Starts the child JVM without waiting for it. */
  public synchronized void launch() {
    if (isRunning()) {
      throw new IllegalStateException("already running as PID " + process.pid());
    }
    Path lib = CassandraJars.resolve(config.libDir());
    files.write(config);
    List<String> command = command(lib);
    try {
      // Cassandra logs "Starting listening for CQL clients" just BEFORE it binds the port (a
      // bind failure follows that line), so "Startup complete", logged after the client
      // transports are up, is the line that proves readiness.
      log = new CassandraLogWatcher(files.consoleLog,
          "Starting listening for CQL clients", "Startup complete");
      ProcessBuilder pb = new ProcessBuilder(command)
          .directory(config.dataDir().toFile()) // heap dumps and stray files land here
          .redirectErrorStream(true)
          // Append, not truncate: after a crash test the log of the killed run is still there.
          .redirectOutput(ProcessBuilder.Redirect.appendTo(files.consoleLog.toFile()));
      launchedAtNanos = System.nanoTime();
      process = pb.start();
      ChildProcessReaper.register(process);
      process.getOutputStream().close();
      Files.writeString(files.logDir.resolve("cassandra.pid"), process.pid() + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start Cassandra: " + String.join(" ", command), e);
    }
  }

  /**
   * Waits until the log says start-up is complete and the CQL port accepts connections.
   * Both, because an open port may belong to another process (Cassandra then fails to bind
   * and exits), and the log alone does not prove this address and port are reachable.
   */
  public synchronized void awaitReady() {
    if (process == null) {
      throw new IllegalStateException("not launched");
    }
    long deadline = launchedAtNanos + config.startupTimeout().toNanos();
    boolean logSaysReady = false;
    while (true) {
      if (!process.isAlive()) {
        throw failure("Cassandra exited with code " + process.exitValue() + " during start-up");
      }
      logSaysReady = logSaysReady || log.sawAllMarkers();
      if (logSaysReady && portAcceptsConnections()) {
        lastStartupTime = Duration.ofNanos(System.nanoTime() - launchedAtNanos);
        return;
      }
      if (System.nanoTime() > deadline) {
        kill(); // the caller gets no usable handle, so don't leave the child behind
        throw failure("Cassandra did not serve CQL on " + config.contactPoint() + " within "
            + config.startupTimeout().toSeconds() + " s");
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        kill();
        throw new IllegalStateException("interrupted while waiting for Cassandra", e);
      }
    }
  }

  private IllegalStateException failure(String what) {
    return new IllegalStateException(what + " (PID " + process.pid() + ", log "
        + files.consoleLog + "). Last log lines:\n" + log.tail(40));
  }

  private boolean portAcceptsConnections() {
    try (Socket s = new Socket()) {
      s.connect(config.contactPoint(), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  List<String> command(Path lib) {
    List<String> cmd = new ArrayList<>();
    // A session of its own: a Ctrl-C in the terminal reaches the whole foreground process
    // group, and must reach only the launcher, which stops Cassandra last, after the
    // fabric nodes that write to it. setsid execs in place, so the PID stays Cassandra's.
    if (Files.isExecutable(SETSID)) {
      cmd.add(SETSID.toString());
    }
    cmd.addAll(config.launchPrefix());
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xms" + config.initialHeap());
    cmd.add("-Xmx" + config.maxHeap());
    cmd.add("-Xss256k"); // Cassandra's own default; it runs hundreds of threads
    cmd.add("-XX:+PerfDisableSharedMem"); // no hsperfdata mmap file in /tmp
    // Die visibly instead of limping on with a half-working heap (Cassandra warns otherwise).
    cmd.add("-XX:+ExitOnOutOfMemoryError");
    cmd.add("-Djava.net.preferIPv4Stack=true");
    cmd.add("-Djdk.attach.allowAttachSelf=true");
    cmd.addAll(Java17Flags.ARGS);
    // Cassandra installs a SecurityManager for UDFs; Java 18+ refuses that unless allowed.
    cmd.add("-Djava.security.manager=allow");
    cmd.add("-Dcassandra-foreground=yes");
    cmd.add("-Dcassandra.config=" + files.yaml.toUri());
    // Must be a file:// URL: a plain path silently yields UNKNOWN_DC/UNKNOWN_RACK.
    cmd.add("-Dcassandra-rackdc.properties=" + files.rackdc.toUri());
    cmd.add("-Dcassandra.storagedir=" + config.dataDir());
    cmd.add("-Dcassandra.logdir=" + files.logDir);
    cmd.add("-Dlogback.configurationFile=" + files.logback.toUri());
    // A brand-new empty cluster has nothing to stream; skipping bootstrap and the gossip
    // settle wait lets nodes start together in seconds instead of minutes.
    cmd.add("-Dcassandra.auto_bootstrap=false");
    cmd.add("-Dcassandra.skip_wait_for_gossip_to_settle=0");
    if (config.jmxPort() != CassandraNodeConfig.NO_JMX) {
      cmd.add("-Dcassandra.jmx.local.port=" + config.jmxPort());
    }
    cmd.addAll(config.extraJvmArgs());
    cmd.add("-cp");
    cmd.add(lib.resolve("*").toString()); // expanded by the java launcher, not a shell
    cmd.add("org.apache.cassandra.service.CassandraDaemon");
    return cmd;
  }

  /** Graceful stop (SIGTERM, Cassandra drains), SIGKILL after 30 s. Idempotent. */
  @Override
  public synchronized void close() {
    if (process == null) {
      return;
    }
    try {
      if (process.isAlive()) {
        process.destroy();
        if (!process.waitFor(GRACEFUL_STOP.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      ChildProcessReaper.unregister(process);
    }
  }

  /** Abrupt crash (SIGKILL) for failure tests; waits until the process is gone. */
  public synchronized void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      ChildProcessReaper.unregister(process);
    }
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** The PID of the current (or last) child process; empty before the first launch. */
  public synchronized OptionalLong pid() {
    return process == null ? OptionalLong.empty() : OptionalLong.of(process.pid());
  }

  /** The CQL address for the driver. */
  public InetSocketAddress contactPoint() {
    return config.contactPoint();
  }

  /** The data center name to give the driver as its local DC (from the rackdc file). */
  public String localDatacenter() {
    return config.datacenter();
  }

  public String rack() {
    return config.rack();
  }

  public CassandraNodeConfig config() {
    return config;
  }

  /** stdout and stderr of the node, across restarts. */
  public Path logFile() {
    return files.consoleLog;
  }

  /** Launch-to-ready time of the last successful start, or null. */
  public synchronized Duration lastStartupTime() {
    return lastStartupTime;
  }
}
