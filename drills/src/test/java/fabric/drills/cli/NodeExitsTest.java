package fabric.drills.cli;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.drills.check.NodeDowned;
import fabric.drills.check.Verdict;
import fabric.drills.cluster.FabricCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeExitsTest {
  @TempDir
  Path dir;

  private void state(long pid1, long pid2) throws Exception {
    Files.writeString(dir.resolve("fabric-up.json"), """
        {"host": "127.0.0.1", "nodes": [
          {"id": "node-1", "az": "us-east-1a", "pid": %d},
          {"id": "node-2", "az": "us-east-1b", "pid": %d}]}
        """.formatted(pid1, pid2));
  }

  @Test
  void theDrillsOwnKillsPassAndAnyOtherExitIsAHealthyNodeDowned() throws Exception {
    state(100, 200);
    NodeExits exits = new NodeExits(new FabricCluster(dir));
    exits.expectExit(100);
    state(101, 200); // node-1 killed by the drill and restarted
    exits.pollOnce();
    assertThat(exits.check().verdict()).isEqualTo(Verdict.OK);

    state(101, 201); // node-2 went away on its own
    exits.pollOnce();
    exits.pollOnce();
    var result = exits.check();
    assertThat(result.verdict()).isEqualTo(Verdict.VIOLATION);
    assertThat(result.violations()).singleElement().isInstanceOfSatisfying(NodeDowned.class,
        d -> {
          assertThat(d.key()).isEqualTo("node-2");
          assertThat(d.pid()).isEqualTo(200);
          assertThat(d.message()).contains("without being killed by the drill");
        });
  }
}
