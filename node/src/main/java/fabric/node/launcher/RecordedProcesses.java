package fabric.node.launcher;

import fabric.node.launcher.FabricState.CassandraEntry;
import fabric.node.launcher.FabricState.NodeEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The processes named in a state file that still run and are still the ones recorded. */
final class RecordedProcesses {
  /** One live process: what it is (e.g. "node-2 (us-east-1b)") and its handle. */
  record Live(String what, ProcessHandle handle) {
    @Override
    public String toString() {
      return what + " PID " + handle.pid();
    }
  }

  private RecordedProcesses() {}

  static Optional<Live> supervisor(FabricState s) {
    if (s.supervisor() == null) {
      return Optional.empty();
    }
    // Its command line may name the data dir relatively; the main class and the start
    // time identify it.
    return OwnedProcess.find(s.supervisor().pid(), s.supervisor().processStart(),
        NodeProcesses.MAIN_CLASS).map(h -> new Live("supervisor", h));
  }

  static List<Live> nodes(FabricState s) {
    List<Live> live = new ArrayList<>();
    for (NodeEntry n : s.nodes()) {
      OwnedProcess.find(n.pid(), n.processStart(), "-Dfabric.node.data-dir=" + s.dataDir())
          .ifPresent(h -> live.add(new Live(n.id() + " (" + n.az() + ")", h)));
    }
    return live;
  }

  static List<Live> cassandra(FabricState s) {
    List<Live> live = new ArrayList<>();
    for (CassandraEntry c : s.cassandra()) {
      OwnedProcess.find(c.pid(), c.processStart(), s.dataDir())
          .ifPresent(h -> live.add(new Live("Cassandra " + c.az(), h)));
    }
    return live;
  }

  static List<Live> all(FabricState s) {
    List<Live> live = new ArrayList<>();
    supervisor(s).ifPresent(live::add);
    live.addAll(nodes(s));
    live.addAll(cassandra(s));
    return live;
  }
}
