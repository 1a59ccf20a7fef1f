package fabric.node.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.node.launcher.ChildSupervisor.Backoff;
import fabric.node.launcher.ChildSupervisor.Child;
import fabric.node.launcher.LaunchPlan.RestartPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restart policy with real child processes (small shell commands standing in for node
 * processes): what exits is started again, with the start count; nothing restarts once
 * stopping began; a child that ignores SIGTERM is killed.
 */
class ChildSupervisorTest {
  private static final Backoff FAST =
      new Backoff(Duration.ofMillis(50), Duration.ofMillis(400), Duration.ofSeconds(10));

  @TempDir
  Path dir;

  private final List<Long> pids = new CopyOnWriteArrayList<>();
  private ChildSupervisor supervisor;

  @AfterEach
  void killWhatIsLeft() {
    if (supervisor != null) {
      supervisor.killAll();
    }
    pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
  }

  private ChildSupervisor supervise(RestartPolicy policy, String script) {
    Child child = new Child("node-1", "node-1 (us-east-1a)", restarts -> new ProcessBuilder(
        "bash", "-c", script, "child", Integer.toString(restarts))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("child.log").toFile())));
    supervisor = new ChildSupervisor(List.of(child), policy, FAST,
        (c, process, restarts) -> pids.add(process.pid()));
    return supervisor;
  }

  @Test
  void aChildThatKeepsExitingIsStartedAgainAndToldHowOftenItWasStarted() throws Exception {
    // Each start appends its start count ($1) to a file, then exits with an error.
    Path starts = dir.resolve("starts");
    supervise(RestartPolicy.ALWAYS, "echo $1 >> " + starts + "; exit 3").startAll();
    await(() -> lines(starts) >= 4, "4 starts");
    supervisor.stopAll(Duration.ofSeconds(5));
    List<String> seen = Files.readAllLines(starts);
    assertThat(seen.subList(0, 4)).containsExactly("0", "1", "2", "3");
    assertThat(pids).doesNotHaveDuplicates();
  }

  @Test
  void aKilledChildComesBackWithANewPidAndStopAllLeavesNothingRunning() throws Exception {
    supervise(RestartPolicy.ALWAYS, "exec sleep 60").startAll();
    await(() -> supervisor.process("node-1").isPresent(), "the first start");
    Process first = supervisor.process("node-1").orElseThrow();
    first.destroyForcibly(); // kill -9
    await(() -> supervisor.process("node-1").map(p -> p.pid() != first.pid()).orElse(false),
        "a restart");
    Process second = supervisor.process("node-1").orElseThrow();

    supervisor.stopAll(Duration.ofSeconds(5));
    assertThat(second.isAlive()).isFalse();
    Thread.sleep(300); // longer than any restart delay: nothing may come back
    assertThat(supervisor.process("node-1")).isEmpty();
    assertThat(supervisor.starts("node-1")).isEqualTo(2);
  }

  @Test
  void withRestartNeverAnExitedChildStaysDown() throws Exception {
    supervise(RestartPolicy.NEVER, "exit 0").startAll();
    await(() -> pids.size() == 1 && ProcessHandle.of(pids.get(0)).isEmpty(), "the exit");
    Thread.sleep(300);
    assertThat(supervisor.starts("node-1")).isEqualTo(1);
    assertThat(supervisor.process("node-1")).isEmpty();
  }

  @Test
  void aChildThatIgnoresSigtermIsKilledAfterTheGracePeriod() throws Exception {
    supervise(RestartPolicy.ALWAYS, "trap '' TERM; exec sleep 60").startAll();
    await(() -> supervisor.process("node-1").isPresent(), "the start");
    Process child = supervisor.process("node-1").orElseThrow();
    Thread.sleep(200); // let bash install the trap before exec
    long t0 = System.nanoTime();
    supervisor.stopAll(Duration.ofMillis(500));
    assertThat(child.isAlive()).isFalse();
    assertThat(child.exitValue()).isEqualTo(137); // SIGKILL, not SIGTERM
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(
        Duration.ofMillis(500));
  }

  @Test
  void restartDelaysDoubleWhileAChildKeepsFailingFast() {
    Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(1));
    assertThat(List.of(b.delay(0), b.delay(1), b.delay(2), b.delay(5), b.delay(50)))
        .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
            Duration.ofSeconds(30), Duration.ofSeconds(30));
    assertThat(ChildSupervisor.describe(137)).isEqualTo("137 (signal 9)");
    assertThat(ChildSupervisor.describe(255)).contains("downed");
  }

  private static int lines(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file).size() : 0;
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + what + " within 20 s");
      }
      Thread.sleep(20);
    }
  }
}
