package fabric.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fabric.node.launcher.FabricState;
import fabric.node.launcher.OwnedProcess;
import fabric.node.launcher.StateFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./fabric status}: the cluster view of a running fabric, for people or scripts. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Shows the nodes of a running fabric (AZ, state, PID, ports), how many",
        "resources each one leads and each live resource's leader and followers' lag,",
        "read from a node's management port: --management, or",
        "else the first node that answers of those `./fabric up --processes N` recorded",
        "in <data-dir>/fabric-up.json, or else 127.0.0.1:8558."})
final class StatusCommand implements Callable<Integer> {
  private static final String DEFAULT_MANAGEMENT = "127.0.0.1:8558";

  @Option(names = "--management",
      description = "host:port of any node's management HTTP.")
  String management;

  @Option(names = "--data-dir", defaultValue = "./data",
      description = "Where to look for fabric-up.json when --management is not given "
          + "(default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--json", description = "Print the cluster view as JSON.")
  boolean json;

  /** Where the command prints (picocli's, so tests capture it apart from node logs). */
  @Spec
  CommandSpec spec;
  private PrintWriter out;

  @Override
  public Integer call() throws Exception {
    out = spec.commandLine().getOut();
    try {
      return status();
    } finally {
      out.flush();
    }
  }

  private Integer status() throws Exception {
    FabricState state = null;
    List<String> targets = new ArrayList<>();
    if (management != null) {
      targets.add(management);
    } else {
      try {
        state = StateFile.read(StateFile.in(dataDir)).orElse(null);
      } catch (IllegalStateException e) {
        System.err.println("fabric status: " + e.getMessage());
        return 1;
      }
      if (state != null) {
        for (FabricState.NodeEntry n : state.nodes()) {
          targets.add(state.host() + ":" + n.managementPort());
        }
      } else {
        targets.add(DEFAULT_MANAGEMENT);
      }
    }
    JsonNode view = null;
    String answered = null;
    for (String target : targets) {
      Optional<JsonNode> v = fetch(target);
      if (v.isPresent()) {
        view = v.get();
        answered = target;
        break;
      }
    }
    if (view == null) {
      System.err.println("fabric status: no fabric answers at " + String.join(", ", targets)
          + " (is `./fabric up` running? --management host:port names another node)");
      return 1;
    }
    if (json) {
      out.println(new ObjectMapper().writerWithDefaultPrettyPrinter()
          .writeValueAsString(view));
      return 0;
    }
    printNodes(view, state);
    printResources(view.path("leaders"));
    if (state != null) {
      printLocalProcesses(state, answered);
    }
    return 0;
  }

  private static Optional<JsonNode> fetch(String target) throws InterruptedException {
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://" + target + "/cluster"))
              .timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        System.err.println("fabric status: " + target + " answered HTTP "
            + response.statusCode());
        return Optional.empty();
      }
      return Optional.of(new ObjectMapper().readTree(response.body()));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * One line per member. With a state file, also the resident memory of the node processes
   * it recorded (only those: a PID from a remote view means nothing on this machine).
   */
  private void printNodes(JsonNode view, FabricState state) {
    Map<String, Integer> leads = new HashMap<>();
    view.path("leaders").forEach(l -> leads.merge(l.path("nodeId").asText(), 1, Integer::sum));
    Map<Long, String> rss = new HashMap<>();
    if (state != null) {
      for (FabricState.NodeEntry n : state.nodes()) {
        OwnedProcess.find(n.pid(), n.processStart(), state.dataDir()).ifPresent(h ->
            rss.put(h.pid(), OwnedProcess.formatRss(OwnedProcess.rssKib(h.pid()))));
      }
    }
    String rssHeader = state == null ? "" : String.format(" %-9s", "RSS");
    out.printf("%-8s %-12s %-8s %-10s %-8s%s %-6s %-11s %s%n", "NODE", "AZ", "STATE",
        "REACHABLE", "PID", rssHeader, "GRPC", "MANAGEMENT", "LEADS");
    for (JsonNode n : view.path("nodes")) {
      long pid = n.path("pid").asLong();
      String rssColumn = state == null ? "" : String.format(" %-9s", rss.getOrDefault(pid, "-"));
      out.printf("%-8s %-12s %-8s %-10s %-8d%s %-6d %-11d %d%n",
          n.path("nodeId").asText(), n.path("az").asText(), n.path("status").asText(),
          n.path("reachable").asBoolean() ? "yes" : "NO", pid, rssColumn,
          n.path("grpcPort").asInt(), n.path("managementPort").asInt(),
          leads.getOrDefault(n.path("nodeId").asText(), 0));
    }
  }

  /** What the cluster view cannot show: Cassandra and the supervisor, from the state file. */
  private void printLocalProcesses(FabricState state, String answered) {
    out.println();
    out.printf("%-12s %-12s %-16s %-8s %-9s %s%n", "CASSANDRA", "AZ (DC)", "CQL",
        "PID", "RSS", "RUNNING");
    for (int i = 0; i < state.cassandra().size(); i++) {
      FabricState.CassandraEntry c = state.cassandra().get(i);
      boolean running = OwnedProcess.find(c.pid(), c.processStart(), state.dataDir())
          .isPresent();
      out.printf("%-12s %-12s %-16s %-8d %-9s %s%n", "cassandra-" + (i + 1), c.az(),
          c.address() + ":" + c.cqlPort(), c.pid(),
          running ? OwnedProcess.formatRss(OwnedProcess.rssKib(c.pid())) : "-",
          running ? "yes" : "NO");
    }
    FabricState.ProcessEntry s = state.supervisor();
    if (s != null) {
      boolean running = OwnedProcess.find(s.pid(), s.processStart(), null).isPresent();
      out.printf("%nsupervisor PID %d %s; view from %s; state %s%n", s.pid(),
          running ? "running" : "NOT running", answered, StateFile.in(Path.of(state.dataDir())));
    }
  }

  /** Most resources shown as a table; --json has them all. */
  private static final int MAX_RESOURCE_ROWS = 40;

  private void printResources(JsonNode resources) {
    if (resources.isEmpty()) {
      return;
    }
    out.println();
    out.printf("%-40s %-8s %-12s %s%n", "RESOURCE", "LEADER", "AZ",
        "FOLLOWERS (az node applied-seqNr lag-events)");
    int shown = 0;
    for (JsonNode r : resources) {
      if (shown++ == MAX_RESOURCE_ROWS) {
        out.printf("... %d more (see --json)%n", resources.size() - MAX_RESOURCE_ROWS);
        break;
      }
      StringBuilder followers = new StringBuilder();
      for (JsonNode f : r.path("followers")) {
        followers.append(String.format("%s %s %d %d; ", f.path("az").asText(),
            f.path("nodeId").asText(), f.path("appliedSeqNr").asLong(),
            f.path("lagEvents").asLong()));
      }
      String leader = r.path("nodeId").asText();
      out.printf("%-40s %-8s %-12s %s%n", r.path("type").asText() + "/" + r.path("id").asText(),
          leader.isEmpty() ? "-" : leader, r.path("az").asText(), followers);
    }
  }
}
