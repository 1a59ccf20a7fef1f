package fabric.node.launcher;

import fabric.node.launcher.LaunchPlan.NodeSpec;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command line of one fabric node process: {@code ./fabric node} in a child JVM with the
 * launcher's own java and classpath, a bounded heap, and its whole configuration as
 * {@code -Dfabric.*} properties (visible in {@code ps}, and they win over any FABRIC_*
 * variable the launcher's environment may carry).
 */
final class NodeProcesses {
  static final String MAIN_CLASS = "fabric.node.cli.FabricCli";
  static final Path SETSID = Path.of("/usr/bin/setsid");

  /** Where node processes reach Cassandra: per AZ, that AZ's node; and the keyspace layout. */
  record CassandraTopology(Map<String, String> contactPointByAz, String replication) {}

  private NodeProcesses() {}

  /** @param launchPrefix runs first and execs java (a cgroup placement), or empty */
  static List<String> command(LaunchPlan plan, NodeSpec node, List<String> seeds,
      CassandraTopology cassandra, String classpath, List<String> launchPrefix) {
    List<String> cmd = new ArrayList<>();
    // A session of its own, so that a Ctrl-C in the terminal reaches only the supervisor,
    // which then stops the nodes one by one (all at once, they could not hand their shards
    // to each other). setsid execs in place: the PID is the node's.
    if (Files.isExecutable(SETSID)) {
      cmd.add(SETSID.toString());
    }
    cmd.addAll(launchPrefix);
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + plan.nodeHeap());
    // A node that runs out of heap is broken in unknown ways: die, and be restarted clean.
    cmd.add("-XX:+ExitOnOutOfMemoryError");
    cmd.add("-cp");
    cmd.add(classpath);
    prop(cmd, "fabric.node.id", node.id());
    prop(cmd, "fabric.region", plan.region());
    prop(cmd, "fabric.az", node.az());
    prop(cmd, "fabric.node.host", plan.host());
    prop(cmd, "fabric.node.grpc-port", node.grpcPort());
    prop(cmd, "fabric.node.management-port", node.managementPort());
    prop(cmd, "fabric.node.remoting-port", node.remotingPort());
    if (plan.linkControl()) {
      prop(cmd, "fabric.node.remoting-bind-port", plan.remotingBindPort(node));
    }
    for (int i = 0; i < seeds.size(); i++) {
      prop(cmd, "fabric.node.seed-nodes." + i, seeds.get(i)); // a list, for Typesafe Config
    }
    // Also the mark by which `./fabric down` recognises this process as its own.
    prop(cmd, "fabric.node.data-dir", plan.dataDir());
    prop(cmd, "fabric.node.journal", "cassandra");
    // Its own AZ's Cassandra node, with that AZ as the driver's local data center: reads
    // and writes stay in the AZ while it is up; QUORUM still needs a second AZ's replica.
    prop(cmd, "fabric.node.cassandra.contact-points.0",
        cassandra.contactPointByAz().get(node.az()));
    prop(cmd, "fabric.node.cassandra.local-datacenter", node.az());
    prop(cmd, "fabric.node.cassandra.replication", cassandra.replication());
    // Downed by the Split Brain Resolver: exit, and this supervisor starts it again.
    prop(cmd, "fabric.node.exit-jvm-when-down", "true");
    cmd.add(MAIN_CLASS);
    cmd.add("node");
    return cmd;
  }

  private static void prop(List<String> cmd, String key, Object value) {
    cmd.add("-D" + key + "=" + value);
  }

  /**
   * A ProcessBuilder for the command, appending stdout and stderr to the node's log (after
   * a line that says which start this is, so a log that spans restarts reads clearly).
   */
  static ProcessBuilder builder(LaunchPlan plan, NodeSpec node, List<String> command,
      int restarts) {
    try {
      Files.createDirectories(node.log().getParent());
      Files.writeString(node.log(), String.format("%n---- %s fabric supervisor: %s %s%n",
              Instant.now(), restarts == 0 ? "starting" : "restarting (" + restarts + ")",
              node.label()), StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + node.log(), e);
    }
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(node.log().toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    if (plan.clockControl()) {
      controllableClock(plan, node, builder.environment());
    }
    return builder;
  }

  /**
   * libfaketime under the node: its wall clock is the machine's plus the offset in its
   * clock file, re-read every second, so a drill skews one node at run time. Monotonic
   * time stays real: the JVM's timers and Pekko's failure detector run on it.
   */
  private static void controllableClock(LaunchPlan plan, NodeSpec node,
      Map<String, String> env) {
    Path file = plan.clockDir().resolve(node.id() + ".faketime");
    try {
      Files.createDirectories(file.getParent());
      if (!Files.exists(file)) {
        Files.writeString(file, "+0\n", StandardCharsets.US_ASCII);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    env.put("LD_PRELOAD", LaunchPlan.LIBFAKETIME.toString());
    env.put("FAKETIME_TIMESTAMP_FILE", file.toString());
    env.put("FAKETIME_DONT_FAKE_MONOTONIC", "1");
    env.put("FAKETIME_CACHE_DURATION", "1");
    // Without this libfaketime's pthread_cond_timedwait fix makes the JVM's timed waits
    // spin: an idle node burned 60% of a core instead of 3% (measured on this machine).
    env.put("FAKETIME_FORCE_MONOTONIC_FIX", "0");
  }
}
