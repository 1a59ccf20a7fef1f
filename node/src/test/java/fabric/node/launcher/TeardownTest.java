package fabric.node.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fabric.node.launcher.FabricState.CassandraEntry;
import fabric.node.launcher.FabricState.NodeEntry;
import fabric.node.launcher.FabricState.ProcessEntry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./fabric down} against real java processes standing in for the supervisor, the
 * nodes and Cassandra (each carrying on its command line what the real ones carry): it
 * stops exactly the recorded processes, and leaves alone a process whose PID is recorded
 * but whose start time is not (a reused PID).
 */
class TeardownTest {
  @TempDir
  Path dataDir;

  private final List<Process> started = new ArrayList<>();
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();

  @AfterEach
  void killWhatIsLeft() {
    started.forEach(Process::destroyForcibly);
  }

  private Process java(String... jvmArgsThenProgramArgs) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx32m",
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path")));
    int split = List.of(jvmArgsThenProgramArgs).indexOf("--");
    List<String> all = List.of(jvmArgsThenProgramArgs);
    cmd.addAll(all.subList(0, split));
    cmd.add(SleepingJava.class.getName());
    cmd.addAll(all.subList(split + 1, all.size()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    started.add(p);
    // Wait until it runs its main, so a SIGTERM meets a started JVM.
    p.getInputStream().read();
    return p;
  }

  private static String start(Process p) {
    return OwnedProcess.processStart(p.toHandle());
  }

  private int down() throws InterruptedException {
    return new Teardown(dataDir, Duration.ofSeconds(10),
        new PrintStream(output, true, StandardCharsets.UTF_8)).run();
  }

  @Test
  void stopsTheSupervisorTheNodesAndCassandraByTheirRecordedPids() throws Exception {
    Process supervisor = java("--", NodeProcesses.MAIN_CLASS, "up");
    Process node1 = java("-Dfabric.node.data-dir=" + dataDir, "--", "node");
    Process node2 = java("-Dfabric.node.data-dir=" + dataDir, "--", "node");
    Process cassandra = java("-Dcassandra.storagedir=" + dataDir.resolve("cassandra/node1"),
        "--");
    StateFile.write(StateFile.in(dataDir), new FabricState(FabricState.VERSION,
        dataDir.toString(), "127.0.0.1", true,
        new ProcessEntry(supervisor.pid(), start(supervisor), null),
        List.of(new CassandraEntry("us-east-1a", "127.0.0.1", 9042, 7000, cassandra.pid(),
            start(cassandra), "c.log", dataDir.resolve("cassandra/node1").toString())),
        List.of(new NodeEntry("node-1", "us-east-1a", node1.pid(), start(node1), 1, 2, 3,
                "n1.log", 0),
            new NodeEntry("node-2", "us-east-1b", node2.pid(), start(node2), 4, 5, 6,
                "n2.log", 0)), null, null));

    assertThat(down()).isEqualTo(0);

    for (Process p : List.of(supervisor, node1, node2, cassandra)) {
      assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("stopped by SIGTERM").isEqualTo(143);
    }
    assertThat(StateFile.in(dataDir)).doesNotExist();
    String out = output.toString(StandardCharsets.UTF_8);
    // Nodes one by one, the last first, then Cassandra.
    assertThat(out).containsSubsequence("stopping supervisor", "stopping node-2 (us-east-1b)",
        "stopping node-1 (us-east-1a)", "stopping Cassandra us-east-1a",
        "everything started on " + dataDir + " is stopped");
    assertThat(down()).isEqualTo(0);
    assertThat(output.toString(StandardCharsets.UTF_8)).contains("nothing to stop");
  }

  @Test
  void aRecordedPidThatNowBelongsToAnotherProcessIsLeftAlone() throws Exception {
    Process stranger = java("-Dfabric.node.data-dir=" + dataDir, "--", "node");
    // Same PID and command line, but it started at another time: not the recorded process.
    StateFile.write(StateFile.in(dataDir), new FabricState(FabricState.VERSION,
        dataDir.toString(), "127.0.0.1", true, null, List.of(),
        List.of(new NodeEntry("node-1", "us-east-1a", stranger.pid(), "2001-01-01T00:00:00Z",
            1, 2, 3, "n1.log", 0)), null, null));

    assertThat(down()).isEqualTo(0);

    assertThat(stranger.isAlive()).isTrue();
    assertThat(output.toString(StandardCharsets.UTF_8))
        .contains("nothing to stop: none of the processes recorded in");
  }

  @Test
  void upRefusesADataDirWhoseRecordedProcessesStillRun() throws Exception {
    Process node = java("-Dfabric.node.data-dir=" + dataDir, "--", "node");
    StateFile.write(StateFile.in(dataDir), new FabricState(FabricState.VERSION,
        dataDir.toString(), "127.0.0.1", true, null, List.of(),
        List.of(new NodeEntry("node-2", "us-east-1b", node.pid(), start(node), 1, 2, 3,
            "n2.log", 0)), null, null));
    LaunchPlan plan = new LaunchPlan(dataDir, 3, List.of("us-east-1a", "us-east-1b",
        "us-east-1c"), "127.0.0.1", 50051, 8558, 2551, "512m", LaunchPlan.RestartPolicy.ALWAYS,
        9042, 7000);

    assertThatThrownBy(() -> StillRunning.refuse(plan)).hasMessage("a fabric started on "
        + dataDir + " still runs (node-2 (us-east-1b) PID " + node.pid() + "); stop it first "
        + "with ./fabric down --data-dir " + dataDir);

    node.destroyForcibly().waitFor();
    StillRunning.refuse(plan); // only dead PIDs recorded: a new fabric may start
  }

  @Test
  void withoutAStateFileThereIsNothingToStop() throws Exception {
    assertThat(down()).isEqualTo(0);
    assertThat(output.toString(StandardCharsets.UTF_8)).contains(
        "nothing to stop: no fabric started with --processes runs on " + dataDir);
  }
}
