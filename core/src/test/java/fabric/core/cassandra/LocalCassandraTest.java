package fabric.core.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts a real Cassandra from the Maven Central jars: 20-45 s on a busy 2-core machine. */
@Tag("cassandra")
class LocalCassandraTest {

  @TempDir Path dataDir;

  @Test
  void startsServesCqlPortAndStopsByPid() throws Exception {
    CassandraNodeConfig config = CassandraNodeConfig.builder()
        .dataDir(dataDir)
        .rack("us-east-1a")
        .jmxPort(0) // for nodetool below
        .build();

    LocalCassandra node = LocalCassandra.start(config);
    long pid;
    try {
      pid = node.pid().orElseThrow();
      System.out.printf("Cassandra PID %d ready on %s in %d ms, %s%n",
          pid, node.contactPoint(), node.lastStartupTime().toMillis(), rss(pid));

      assertThat(node.isRunning()).isTrue();
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
      assertThat(node.localDatacenter()).isEqualTo("dc1");
      assertThat(node.contactPoint().getPort()).isPositive();
      try (Socket socket = new Socket()) {
        socket.connect(node.contactPoint(), 2_000);
        assertThat(socket.isConnected()).isTrue();
      }
      assertThat(Files.readString(node.logFile())).contains("Starting listening for CQL clients");
      // The server itself must report our dc/rack: a rackdc file it failed to read would
      // silently give UNKNOWN_DC, and a driver told "dc1" would then find no nodes.
      assertThat(NodeTool.run(node, Duration.ofSeconds(60), "status"))
          .contains("Datacenter: dc1").contains("us-east-1a").contains("UN  127.0.0.1");
    } finally {
      node.close();
    }

    assertThat(node.isRunning()).isFalse();
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    assertThat(handle.isEmpty() || !handle.get().isAlive()).as("PID %d gone", pid).isTrue();
  }

  // Diagnostic only (Linux): how much memory one node really takes.
  private static String rss(long pid) {
    try {
      return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
          .filter(l -> l.startsWith("VmRSS")).findFirst().orElse("VmRSS: ?")
          .replaceAll("\\s+", " ");
    } catch (Exception e) {
      return "VmRSS: n/a";
    }
  }
}
