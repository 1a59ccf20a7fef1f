package fabric.node.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launch prefix must put the process itself into its cgroup and keep its PID (the
 * state file records the PID the supervisor sees). A plain directory stands in for the
 * cgroup here: what matters is which PID lands in cgroup.procs.
 */
class ProcessCgroupsTest {
  @TempDir
  Path root;

  @Test
  void theLaunchedProcessWritesItsOwnPidAndKeepsItThroughExec() throws Exception {
    ProcessCgroups cgroups = new ProcessCgroups(root, new FabricState.Cgroups("unified/x", 2));
    List<String> command = new ArrayList<>(cgroups.launchPrefix("node-1"));
    command.addAll(List.of("/bin/sh", "-c", "echo $$"));
    Process p = new ProcessBuilder(command).start();
    String echoed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor()).isZero();

    String joined = Files.readString(root.resolve("node-1").resolve("cgroup.procs")).trim();
    assertThat(joined).isEqualTo(Long.toString(p.pid())).isEqualTo(echoed);
  }
}
