package fabric.node.launcher;

import com.typesafe.config.ConfigFactory;
import fabric.core.cassandra.LocalCassandraCluster;
import fabric.node.CassandraSchema;
import fabric.node.launcher.FabricState.CassandraEntry;
import fabric.node.launcher.FabricState.NodeEntry;
import fabric.node.launcher.FabricState.ProcessEntry;
import fabric.node.launcher.LaunchPlan.NodeSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supervisor of {@code ./fabric up --processes N}: starts a real Cassandra cluster (one
 * node and data center per AZ) under the data dir, then N fabric node processes, keeps them
 * running, records every PID in {@code fabric-up.json}, and on Ctrl-C/SIGTERM stops the
 * nodes one by one (each leaves the cluster gracefully), then Cassandra.
 */
public final class MultiProcessFabric {
  private static final Logger log = LoggerFactory.getLogger(MultiProcessFabric.class);
  static final Duration NODE_STOP_GRACE = Duration.ofSeconds(30);
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);

  private final LaunchPlan plan;
  private final boolean background;
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final Thread mainThread = Thread.currentThread();
  private final Object phase = new Object();
  private boolean starting = true; // guarded by phase
  private volatile boolean shuttingDown;
  private FabricState state; // guarded by this
  private LocalCassandraCluster cassandra;
  private Optional<ProcessCgroups> cgroups = Optional.empty();
  /** With --link-control: one delay proxy in front of each node's remoting port. */
  private final List<LinkDelayProxy> linkProxies = new ArrayList<>();
  private ChildSupervisor nodes;
  private final Map<String, Long> readyAfterMillis = new LinkedHashMap<>();

  private MultiProcessFabric(LaunchPlan plan, boolean background) {
    this.plan = plan;
    this.background = background;
  }

  /** Runs until stopped; returns the exit code. */
  public static int run(LaunchPlan plan, boolean background) {
    return new MultiProcessFabric(plan, background).run();
  }

  private int run() {
    long t0 = System.nanoTime();
    try {
      StillRunning.refuse(plan);
      PortCheck.requireFree(plan);
      Files.createDirectories(plan.logsDir());
    } catch (IllegalStateException | IllegalArgumentException e) {
      System.err.println("fabric up: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      System.err.println("fabric up: cannot create " + plan.logsDir() + ": " + e);
      return 1;
    }
    SupervisorSignals.install(this::requestStop, background);
    Runtime.getRuntime().addShutdownHook(new Thread(this::killLeftovers, "fabric-leftovers"));
    ProcessHandle self = ProcessHandle.current();
    cgroups = ProcessCgroups.create(plan.dataDir());
    update(new FabricState(FabricState.VERSION, plan.dataDir().toString(), plan.host(), false,
        new ProcessEntry(self.pid(), OwnedProcess.processStart(self),
            background ? plan.supervisorLog().toString() : null),
        List.of(), List.of(), cgroups.map(ProcessCgroups::recorded).orElse(null),
        plan.clockControl() ? plan.clockDir().toString() : null));
    int exitCode = 0;
    try {
      startCassandra();
      createSchema();
      long cassandraMillis = (System.nanoTime() - t0) / 1_000_000;
      if (plan.linkControl()) {
        startLinkProxies();
      }
      prepareNodes();
      startAndAwaitReady();
      synchronized (this) {
        update(state.withReady(true));
      }
      new ReadySummary(plan, cassandra, nodes, readyAfterMillis)
          .print(cassandraMillis, (System.nanoTime() - t0) / 1_000_000, background);
      synchronized (phase) {
        starting = false; // from now on a stop request only releases the wait below
      }
      stopRequested.await();
    } catch (InterruptedException e) {
      log.info("stop requested during start-up");
    } catch (Exception e) {
      if (stopRequested.getCount() == 0) {
        log.info("stop requested during start-up");
      } else {
        if (!(e instanceof IllegalStateException)) {
          log.error("start-up failed", e); // unexpected: the stack trace helps
        }
        System.err.println("fabric up: " + e.getMessage());
        exitCode = 1;
      }
    } finally {
      synchronized (phase) {
        starting = false;
      }
      Thread.interrupted(); // a stop request during start-up must not cut the shutdown short
      shutdown();
    }
    return exitCode;
  }

  private void requestStop() {
    if (stopRequested.getCount() == 0) {
      return;
    }
    log.info("stop requested: stopping the fabric nodes one by one, then Cassandra");
    stopRequested.countDown();
    synchronized (phase) {
      if (starting) {
        mainThread.interrupt(); // Cassandra's and the nodes' start-up waits give up
      }
    }
  }

  private void startCassandra() {
    log.info("starting Cassandra: {} nodes, one data center per AZ ({}), under {}",
        plan.azs().size(), String.join(",", plan.azs()), plan.cassandraDir());
    if (plan.cassandraDiskMib() > 0) {
      for (int i = 0; i < plan.azs().size(); i++) {
        CassandraDisks.mount(LocalCassandraCluster.nodeDir(plan.cassandraDir(), i,
            plan.azs().get(i)), plan.cassandraDiskMib());
      }
    }
    cassandra = LocalCassandraCluster.builder(plan.cassandraDir())
        .azs(plan.azs())
        .clusterName("fabric")
        .nativePort(plan.cassandraPort())
        .storagePort(plan.cassandraStoragePort())
        .launchPrefix(az -> launchPrefix("cassandra-" + az))
        .start();
    List<CassandraEntry> entries = new ArrayList<>();
    for (int i = 0; i < cassandra.size(); i++) {
      entries.add(cassandraEntry(i));
    }
    synchronized (this) {
      update(state.withCassandra(entries));
    }
    CassandraRestartRequests.watch(plan.controlDir(), cassandra, this::cassandraRestarted,
        () -> shuttingDown);
    log.info("Cassandra is up in {} s: replication {}, journal at QUORUM",
        String.format("%.1f", cassandra.startupTime().toMillis() / 1000.0),
        cassandra.replicationOnePerAz());
  }

  /** What the state file records of Cassandra node i; watches it exit. */
  private CassandraEntry cassandraEntry(int i) {
    long pid = cassandra.node(i).pid().orElseThrow();
    ProcessHandle handle = ProcessHandle.of(pid).orElseThrow(
        () -> new IllegalStateException("Cassandra exited right after its start"));
    String az = cassandra.datacenterOf(i);
    InetSocketAddress cql = cassandra.contactPoints().get(i);
    // Cassandra is not restarted by the supervisor (drills kill it on purpose): say so.
    handle.onExit().thenRun(() -> {
      if (!shuttingDown) {
        log.warn("Cassandra node of {} (PID {}) exited; it is not restarted unless a drill "
            + "asks ({}{})", az, pid, plan.controlDir().resolve(CassandraRestartRequests.PREFIX),
            az);
      }
    });
    return new CassandraEntry(az, cql.getHostString(), cql.getPort(),
        cassandra.node(i).config().storagePort(), pid, OwnedProcess.processStart(handle),
        cassandra.node(i).logFile().toString(), cassandra.node(i).config().dataDir().toString());
  }

  private void cassandraRestarted(int i) {
    CassandraEntry entry = cassandraEntry(i);
    synchronized (this) {
      List<CassandraEntry> entries = new ArrayList<>(state.cassandra());
      entries.set(i, entry);
      update(state.withCassandra(entries));
    }
  }

  /** Once, before any node starts: the nodes would otherwise create it concurrently. */
  private void createSchema() throws Exception {
    InetSocketAddress first = cassandra.contactPoints().get(0);
    CassandraSchema.createFor(ConfigFactory.load(),
        List.of(first.getHostString() + ":" + first.getPort()), cassandra.datacenterOf(0),
        cassandra.replicationOnePerAz());
  }

  /** Each node's inbound link through a delay proxy, starting with no delay. */
  private void startLinkProxies() throws IOException {
    Files.createDirectories(plan.controlDir());
    for (NodeSpec node : plan.nodes()) {
      Path delay = plan.linkDelayFile(node.id());
      Files.writeString(delay, "0\n");
      linkProxies.add(new LinkDelayProxy(node.id(),
          new InetSocketAddress(plan.host(), node.remotingPort()),
          new InetSocketAddress(plan.host(), plan.remotingBindPort(node)),
          LinkDelayProxy.fromFile(delay)));
    }
    log.info("link control: each node's remoting behind a delay proxy (+{} bind ports); the "
        + "slow-link drill writes {}", LaunchPlan.LINK_BIND_PORT_OFFSET,
        plan.linkDelayFile("<node-id>"));
  }

  private void prepareNodes() {
    Map<String, String> contactPoints = new LinkedHashMap<>();
    for (int i = 0; i < cassandra.size(); i++) {
      InetSocketAddress cql = cassandra.contactPoints().get(i);
      contactPoints.put(cassandra.datacenterOf(i), cql.getHostString() + ":" + cql.getPort());
    }
    var topology = new NodeProcesses.CassandraTopology(contactPoints,
        cassandra.replicationOnePerAz());
    String classpath = System.getProperty("java.class.path");
    ReadyProbe probe = new ReadyProbe();
    List<NodeEntry> entries = new ArrayList<>();
    List<ChildSupervisor.Child> children = new ArrayList<>();
    for (NodeSpec node : plan.nodes()) {
      entries.add(new NodeEntry(node.id(), node.az(), 0, "", node.grpcPort(),
          node.managementPort(), node.remotingPort(), node.log().toString(), 0));
      children.add(new ChildSupervisor.Child(node.id(), node.label(), restarts -> {
        boolean clusterRunning = restarts > 0 && otherNodeReady(probe, node);
        List<String> seeds = plan.seedsFor(node, clusterRunning);
        return NodeProcesses.builder(plan, node, NodeProcesses.command(plan, node, seeds,
            topology, classpath, launchPrefix(node.id())), restarts);
      }));
    }
    synchronized (this) {
      update(state.withNodes(entries));
    }
    nodes = new ChildSupervisor(children, plan.restart(), ChildSupervisor.Backoff.DEFAULT,
        (child, process, restarts) -> {
          String start = process.toHandle().info().startInstant()
              .map(Object::toString).orElse("");
          synchronized (this) {
            update(state.withNode(child.name(),
                n -> n.withProcess(process.pid(), start, restarts)));
          }
        });
  }

  private List<String> launchPrefix(String processName) {
    return cgroups.map(c -> c.launchPrefix(processName)).orElse(List.of());
  }

  private boolean otherNodeReady(ReadyProbe probe, NodeSpec self) {
    return plan.nodes().stream().filter(n -> n.index() != self.index())
        .anyMatch(n -> probe.isReady(plan.host(), n.managementPort()));
  }

  /**
   * Starts the node processes, at most one per core at a time, and waits until every one is
   * a cluster member. All at once, N JVMs warming up on two cores starve each other's
   * heartbeats for seconds, the failure detector (tuned for fast failover) calls members
   * unreachable, and the Split Brain Resolver downs nodes that were merely starting.
   */
  private void startAndAwaitReady() throws InterruptedException {
    int parallelism = Math.max(1, Runtime.getRuntime().availableProcessors());
    log.info("starting {} fabric node processes, {} at a time (heap {} each, restart {})",
        plan.processes(), parallelism, plan.nodeHeap(), plan.restart().cliName());
    ReadyProbe probe = new ReadyProbe();
    List<NodeSpec> waiting = new ArrayList<>(plan.nodes());
    Map<NodeSpec, Long> starting = new LinkedHashMap<>(); // node -> launch time (nanos)
    while (!waiting.isEmpty() || !starting.isEmpty()) {
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      while (starting.size() < parallelism && !waiting.isEmpty()) {
        NodeSpec n = waiting.remove(0);
        starting.put(n, System.nanoTime());
        nodes.start(n.id());
      }
      for (var it = starting.entrySet().iterator(); it.hasNext(); ) {
        var e = it.next();
        NodeSpec n = e.getKey();
        long waited = System.nanoTime() - e.getValue();
        if (probe.isReady(plan.host(), n.managementPort())) {
          readyAfterMillis.put(n.id(), waited / 1_000_000);
          log.info("{} is ready (a cluster member, serving gRPC on {}:{})", n.label(),
              plan.host(), n.grpcPort());
          it.remove();
        } else if (waited > READY_TIMEOUT.toNanos()) {
          throw new IllegalStateException(n.label() + " is not ready after "
              + READY_TIMEOUT.toSeconds() + " s; see " + n.log());
        }
      }
      Thread.sleep(250);
    }
  }

  private void shutdown() {
    shuttingDown = true;
    if (nodes != null) {
      nodes.stopAll(NODE_STOP_GRACE);
    }
    if (cassandra != null) {
      long t0 = System.nanoTime();
      log.info("stopping Cassandra ({} nodes)", cassandra.size());
      cassandra.close();
      log.info("Cassandra stopped in {} s",
          String.format("%.1f", (System.nanoTime() - t0) / 1e9));
    }
    linkProxies.forEach(LinkDelayProxy::close);
    CassandraDisks.unmountAllUnder(plan.dataDir());
    cgroups.ifPresent(c -> ProcessCgroups.remove(c.recorded()));
    StateFile.delete(plan.stateFile());
    log.info("fabric stopped");
  }

  /** Only if the JVM exits without shutdown() (an error): no node may outlive it. */
  private void killLeftovers() {
    if (!shuttingDown && nodes != null) {
      nodes.killAll();
    }
  }

  private synchronized void update(FabricState next) {
    state = next;
    try {
      StateFile.write(plan.stateFile(), next);
    } catch (UncheckedIOException e) {
      log.error("cannot record the fabric's processes: {}", e.getMessage());
    }
  }
}
