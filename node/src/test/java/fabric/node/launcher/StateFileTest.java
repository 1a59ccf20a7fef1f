package fabric.node.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fabric.node.launcher.FabricState.CassandraEntry;
import fabric.node.launcher.FabricState.NodeEntry;
import fabric.node.launcher.FabricState.ProcessEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fabric-up.json: what `up` writes, `down` and `status` read back. */
class StateFileTest {
  @TempDir
  Path dir;

  private FabricState sample() {
    return new FabricState(FabricState.VERSION, dir.toString(), "127.0.0.1", true,
        new ProcessEntry(100, "2026-11-25T10:00:00Z", null),
        List.of(new CassandraEntry("us-east-1a", "127.0.0.1", 9042, 7000, 200,
            "2026-11-25T10:00:01Z", dir.resolve("cassandra/node1/logs/cassandra.log").toString(),
            dir.resolve("cassandra/node1").toString())),
        List.of(
            new NodeEntry("node-1", "us-east-1a", 300, "2026-11-25T10:00:30Z", 50051, 8558,
                2551, dir.resolve("logs/node-1.log").toString(), 0),
            new NodeEntry("node-2", "us-east-1b", 301, "2026-11-25T10:00:30Z", 50052, 8559,
                2552, dir.resolve("logs/node-2.log").toString(), 0)),
        new FabricState.Cgroups("unified/fabric-1a2b3c4d", 2), dir.resolve("clock").toString());
  }

  @Test
  void whatIsWrittenIsReadBackAndAPidChangeRewritesIt() {
    Path file = StateFile.in(dir);
    StateFile.write(file, sample());
    assertThat(StateFile.read(file)).contains(sample());

    FabricState restarted = sample().withNode("node-2",
        n -> n.withProcess(999, "2026-11-25T11:00:00Z", 1));
    StateFile.write(file, restarted);
    FabricState read = StateFile.read(file).orElseThrow();
    assertThat(read.nodes().get(1).pid()).isEqualTo(999);
    assertThat(read.nodes().get(1).restarts()).isEqualTo(1);
    assertThat(read.nodes().get(0)).isEqualTo(sample().nodes().get(0));
    assertThat(dir.resolve(StateFile.NAME + ".tmp")).doesNotExist();
  }

  @Test
  void aMissingFileIsNothingRunningAndABrokenOneIsNamed() throws Exception {
    Path file = StateFile.in(dir);
    assertThat(StateFile.read(file)).isEmpty();
    Files.writeString(file, "{ not json");
    assertThatThrownBy(() -> StateFile.read(file))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("cannot read " + file);
  }

  @Test
  void fieldsAddedByANewerFabricDoNotStopAnOlderReader() throws Exception {
    Path file = StateFile.in(dir);
    Files.writeString(file, """
        {"version": 2, "dataDir": "/d", "host": "127.0.0.1", "ready": false,
         "something": {"new": true},
         "supervisor": {"pid": 5, "processStart": "2026-11-25T10:00:00Z", "extra": 1},
         "nodes": [{"id": "node-1", "az": "us-east-1a", "pid": 7, "lag": 3}]}
        """);
    FabricState read = StateFile.read(file).orElseThrow();
    assertThat(read.supervisor().pid()).isEqualTo(5);
    assertThat(read.nodes()).extracting(NodeEntry::pid).containsExactly(7L);
    assertThat(read.cassandra()).isEmpty();
  }
}
