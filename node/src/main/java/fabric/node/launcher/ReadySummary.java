package fabric.node.launcher;

import fabric.core.cassandra.LocalCassandraCluster;
import fabric.node.launcher.LaunchPlan.NodeSpec;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The lines {@code ./fabric up --processes N} prints once every node is ready: each process
 * with its ports, PID and resident memory, then start-up time and memory in total. The last
 * line starts with "fabric is ready", as in the single-JVM mode (scripts wait for it).
 */
final class ReadySummary {
  private final LaunchPlan plan;
  private final LocalCassandraCluster cassandra;
  private final ChildSupervisor nodes;
  private final Map<String, Long> readyAfterMillis;

  ReadySummary(LaunchPlan plan, LocalCassandraCluster cassandra, ChildSupervisor nodes,
      Map<String, Long> readyAfterMillis) {
    this.plan = plan;
    this.cassandra = cassandra;
    this.nodes = nodes;
    this.readyAfterMillis = readyAfterMillis;
  }

  void print(long cassandraMillis, long totalMillis, boolean background) {
    long cassandraKib = 0;
    long nodesKib = 0;
    StringBuilder out = new StringBuilder("\n");
    for (int i = 0; i < cassandra.size(); i++) {
      InetSocketAddress cql = cassandra.contactPoints().get(i);
      long pid = cassandra.node(i).pid().orElse(0);
      OptionalLong rss = OwnedProcess.rssKib(pid);
      cassandraKib += rss.orElse(0);
      out.append(String.format("  cassandra     az %-12s CQL %s:%d%s PID %-8d RSS %s%n",
          cassandra.datacenterOf(i), cql.getHostString(), cql.getPort(), pad(cql), pid,
          OwnedProcess.formatRss(rss)));
    }
    for (NodeSpec n : plan.nodes()) {
      long pid = nodes.process(n.id()).map(Process::pid).orElse(0L);
      OptionalLong rss = OwnedProcess.rssKib(pid);
      nodesKib += rss.orElse(0);
      out.append(String.format("  node %-8s az %-12s gRPC %s:%d   management http://%s:%d/cluster"
              + "   PID %-8d RSS %-8s ready after %.1f s%n",
          n.id(), n.az(), plan.host(), n.grpcPort(), plan.host(), n.managementPort(), pid,
          OwnedProcess.formatRss(rss), readyAfterMillis.getOrDefault(n.id(), 0L) / 1000.0));
    }
    long selfPid = ProcessHandle.current().pid();
    OptionalLong selfRss = OwnedProcess.rssKib(selfPid);
    out.append(String.format("  supervisor    PID %d   RSS %s   state %s%n", selfPid,
        OwnedProcess.formatRss(selfRss), plan.stateFile()));
    out.append(String.format("start-up: %.1f s (Cassandra and schema %.1f s, then the fabric nodes %.1f s)%n",
        totalMillis / 1000.0, cassandraMillis / 1000.0,
        (totalMillis - cassandraMillis) / 1000.0));
    out.append(String.format("memory (RSS): %d MiB in all: Cassandra %d MiB (%d nodes), "
            + "fabric nodes %d MiB (%d processes), supervisor %s%n",
        (cassandraKib + nodesKib + selfRss.orElse(0)) / 1024, cassandraKib / 1024,
        cassandra.size(), nodesKib / 1024, plan.processes(), OwnedProcess.formatRss(selfRss)));
    out.append(String.format("fabric is ready: %d node process%s in %s, cassandra journal "
            + "(one replica per AZ, QUORUM) under %s (%s)",
        plan.processes(), plan.processes() == 1 ? "" : "es", String.join(",", plan.azs()), plan.dataDir(),
        background ? "./fabric down --data-dir " + plan.dataDir() + " stops it"
            : "Ctrl-C stops it"));
    System.out.println(out);
    System.out.flush();
  }

  private static String pad(InetSocketAddress cql) {
    int len = (cql.getHostString() + ":" + cql.getPort()).length();
    return " ".repeat(Math.max(1, 17 - len));
  }
}
