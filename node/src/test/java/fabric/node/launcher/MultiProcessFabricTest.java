package fabric.node.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fabric.node.launcher.FabricState.NodeEntry;
import fabric.node.testing.FreePorts;
import fabric.node.testing.S3TestClient;
import fabric.s3.v1.HeadObjectRequest;
import fabric.storage.bucket.BucketDefinition;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end, with real processes only: {@code ./fabric up --processes 3 --journal cassandra
 * --detach} starts a 3-DC Cassandra and three node processes; objects written through
 * node-1 survive a kill -9 of the bucket's leader, the supervisor restarts that node with
 * the same id and ports, {@code ./fabric down} leaves no process behind, and {@code up} again
 * on the same data dir finds every object. About 5-7 min and 3.5 GiB on a 2-core machine:
 * run with {@code -Dgroups=cassandra-cluster}.
 */
@Tag("cassandra-cluster")
class MultiProcessFabricTest {
  private static final String ACCOUNT = "444455556666";
  private static final String BUCKET = "multi-process-photos";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dataDir;

  private final HttpClient http = HttpClient.newHttpClient();
  /** Every PID the fabric ever recorded: all must be gone at the end. */
  private final Set<Long> pids = new LinkedHashSet<>();

  @Test
  void aKilledLeaderIsRestartedByTheSupervisorAndNoAcknowledgedObjectIsLost() throws Exception {
    int grpc = FreePorts.range(3);
    int management = FreePorts.range(3);
    int remoting = FreePorts.range(3);
    try {
      Object[] ports = {"--grpc-port", grpc, "--management-port", management,
          "--remoting-port", remoting, "--cassandra-port", FreePorts.next(),
          "--cassandra-storage-port", FreePorts.next()};
      long t0 = System.nanoTime();
      up(ports);
      long startupMillis = millisSince(t0);
      FabricState state = state();
      assertThat(state.ready()).isTrue();
      assertThat(state.nodes()).extracting(NodeEntry::az)
          .containsExactly("us-east-1a", "us-east-1b", "us-east-1c");
      assertThat(state.nodes()).extracting(NodeEntry::grpcPort)
          .containsExactly(grpc, grpc + 1, grpc + 2);
      assertThat(state.cassandra()).extracting(FabricState.CassandraEntry::address)
          .containsExactly("127.0.0.1", "127.0.0.2", "127.0.0.3");
      assertThat(RecordedProcesses.all(state)).hasSize(7); // supervisor, 3 nodes, 3 Cassandra
      System.out.printf("MULTIPROCESS: up --processes 3 --detach ready in %.1f s%n%s%n",
          startupMillis / 1000.0, Files.readString(dataDir.resolve("up.out")));

      Map<String, byte[]> written = writeThroughNode1(grpc);

      NodeEntry leader = leaderOf(BUCKET, management);
      NodeEntry survivor = state.nodes().get((state.nodes().indexOf(leader) + 1) % 3);
      long killedAt = System.nanoTime();
      ProcessHandle.of(leader.pid()).orElseThrow().destroyForcibly(); // kill -9

      try (S3TestClient client = new S3TestClient("127.0.0.1", survivor.grpcPort(), ACCOUNT)) {
        long failoverMillis = awaitReadable(client, written.keySet().iterator().next(), killedAt);
        for (var e : written.entrySet()) {
          assertThat(readWithRetry(client, e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
        NodeEntry restarted = awaitRestarted(leader);
        long restartedMillis = millisSince(killedAt);
        System.out.printf("MULTIPROCESS: kill -9 of %s (%s, PID %d), leader of %s: the bucket "
                + "answered on %s after %d ms; the supervisor restarted it as PID %d, a cluster "
                + "member again after %d ms%n", leader.id(), leader.az(), leader.pid(), BUCKET,
            survivor.id(), failoverMillis, restarted.pid(), restartedMillis);
        assertThat(restarted.restarts()).isEqualTo(1);
        assertThat(Files.readString(dataDir.resolve("logs/supervisor.log"))).contains(
            leader.id() + " (" + leader.az() + ") exited with code 137 (signal 9); restarting");
        assertThat(memberStatus(survivor.managementPort(), leader.id()))
            .isEqualTo("Up pid " + restarted.pid());

        // The bucket takes writes again, and the restarted node serves every object.
        client.put(BUCKET, "after-failover", new byte[] {1, 2, 3});
        written.put("after-failover", new byte[] {1, 2, 3});
      }
      try (S3TestClient client = new S3TestClient("127.0.0.1", leader.grpcPort(), ACCOUNT)) {
        for (var e : written.entrySet()) {
          assertThat(readWithRetry(client, e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
      }

      downAndCheckEveryPidIsGone();

      // Up again on the same data dir: the same Cassandra data, every bucket and object.
      long restartAt = System.nanoTime();
      up(ports);
      System.out.printf("MULTIPROCESS: up again on the same data dir ready in %.1f s%n",
          millisSince(restartAt) / 1000.0);
      try (S3TestClient client = new S3TestClient("127.0.0.1", grpc + 2, ACCOUNT)) {
        for (var e : written.entrySet()) {
          assertThat(readWithRetry(client, e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
      }
      downAndCheckEveryPidIsGone();
    } finally {
      cleanUp();
    }
  }

  private void downAndCheckEveryPidIsGone() throws InterruptedException {
    pids.addAll(recordedPids(state()));
    long downAt = System.nanoTime();
    assertThat(new Teardown(dataDir, Duration.ofSeconds(30), System.out).run()).isEqualTo(0);
    System.out.printf("MULTIPROCESS: down took %.1f s%n", millisSince(downAt) / 1000.0);
    for (long pid : pids) {
      assertThat(ProcessHandle.of(pid)).as("PID " + pid + " after down").isEmpty();
    }
    assertThat(StateFile.in(dataDir)).doesNotExist();
  }

  /** `./fabric up ... --detach` in a JVM of its own; returns once it said the fabric is ready. */
  private void up(Object... ports) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), NodeProcesses.MAIN_CLASS,
        "up", "--processes", "3", "--journal", "cassandra", "--detach",
        "--data-dir", dataDir.toString()));
    for (Object p : ports) {
      cmd.add(p.toString());
    }
    Path out = dataDir.resolve("up.out");
    Process up = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(out.toFile()).start();
    if (!up.waitFor(12, TimeUnit.MINUTES)) {
      up.destroyForcibly();
      throw new AssertionError("up --detach did not return in 12 min:\n" + Files.readString(out));
    }
    StateFile.read(StateFile.in(dataDir)).ifPresent(s -> pids.addAll(recordedPids(s)));
    assertThat(up.exitValue()).as(Files.readString(out)).isEqualTo(0);
  }

  private Map<String, byte[]> writeThroughNode1(int grpc) {
    Map<String, byte[]> written = new LinkedHashMap<>();
    Random random = new Random(7);
    try (S3TestClient client = new S3TestClient("127.0.0.1", grpc, ACCOUNT)) {
      client.createBucket(BUCKET);
      for (int i = 0; i < 12; i++) {
        byte[] body = new byte[i == 11 ? 3 * 1024 * 1024 + 5 : random.nextInt(64 * 1024)];
        random.nextBytes(body);
        String key = "photos/" + i + ".jpg";
        client.put(BUCKET, key, body);
        written.put(key, body);
      }
    }
    return written;
  }

  private FabricState state() {
    return StateFile.read(StateFile.in(dataDir)).orElseThrow();
  }

  private static List<Long> recordedPids(FabricState s) {
    List<Long> all = new ArrayList<>();
    if (s.supervisor() != null) {
      all.add(s.supervisor().pid());
    }
    s.nodes().forEach(n -> all.add(n.pid()));
    s.cassandra().forEach(c -> all.add(c.pid()));
    return all;
  }

  private JsonNode cluster(int managementPort) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + managementPort + "/cluster"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private NodeEntry leaderOf(String bucket, int managementPort) throws Exception {
    for (JsonNode l : cluster(managementPort).path("leaders")) {
      if (l.path("type").asText().equals(BucketDefinition.TYPE_KEY.name())
          && l.path("id").asText().equals(bucket)) {
        String id = l.path("nodeId").asText();
        return state().nodes().stream().filter(n -> n.id().equals(id)).findFirst()
            .orElseThrow();
      }
    }
    throw new AssertionError("no leader of " + bucket + " in the cluster view");
  }

  private String memberStatus(int managementPort, String nodeId) throws Exception {
    JsonNode view = await(() -> {
      try {
        JsonNode v = cluster(managementPort);
        for (JsonNode n : v.path("nodes")) {
          if (n.path("nodeId").asText().equals(nodeId) && n.path("status").asText().equals("Up")
              && n.path("reachable").asBoolean()) {
            return Optional.of(n);
          }
        }
        return Optional.empty();
      } catch (Exception e) {
        return Optional.empty();
      }
    }, "a reachable Up " + nodeId);
    return view.path("status").asText() + " pid " + view.path("pid").asLong();
  }

  /** Waits until the state file shows a new live process for the node and it is ready. */
  private NodeEntry awaitRestarted(NodeEntry killed) throws Exception {
    NodeEntry restarted = await(() -> state().nodes().stream()
        .filter(n -> n.id().equals(killed.id()) && n.pid() != killed.pid()
            && ProcessHandle.of(n.pid()).isPresent())
        .findFirst(), "a new PID for " + killed.id());
    pids.add(restarted.pid());
    await(() -> {
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + restarted.managementPort() + "/ready"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
        return r.statusCode() == 200 ? Optional.of(true) : Optional.empty();
      } catch (Exception e) {
        return Optional.empty();
      }
    }, killed.id() + " ready again");
    return restarted;
  }

  private static long awaitReadable(S3TestClient client, String key, long since)
      throws InterruptedException {
    long deadline = since + 120_000_000_000L;
    while (true) {
      try {
        client.blocking(2_000).headObject(
            HeadObjectRequest.newBuilder().setBucket(BUCKET).setKey(key).build());
        return millisSince(since);
      } catch (StatusRuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("bucket still unavailable 120 s after the kill", e);
        }
        Thread.sleep(100);
      }
    }
  }

  private static byte[] readWithRetry(S3TestClient client, String key)
      throws InterruptedException {
    for (int attempt = 0; ; attempt++) {
      try {
        return S3TestClient.get(client.blocking(), BUCKET, key, "");
      } catch (StatusRuntimeException e) {
        if (attempt > 300) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  private static <T> T await(Supplier<Optional<T>> probe, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + 180_000_000_000L;
    while (true) {
      Optional<T> value = probe.get();
      if (value.isPresent()) {
        return value.get();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + what + " within 180 s");
      }
      Thread.sleep(250);
    }
  }

  /** The supervisor's and nodes' logs outlive the temp dir, for a look after a failure. */
  private void keepLogs() throws IOException {
    Path from = dataDir.resolve("logs");
    Path to = Path.of("target", "multiprocess-fabric-logs");
    if (!Files.isDirectory(from)) {
      return;
    }
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  /** Even when the test failed: down, and SIGKILL anything recorded that still runs. */
  private void cleanUp() throws Exception {
    keepLogs();
    StateFile.read(StateFile.in(dataDir)).ifPresent(s -> pids.addAll(recordedPids(s)));
    if (Files.exists(StateFile.in(dataDir))) {
      new Teardown(dataDir, Duration.ofSeconds(30), System.out).run();
    }
    for (long pid : pids) {
      // Only processes this test's fabric recorded whose command line names its temp dir.
      ProcessHandle.of(pid).filter(h -> OwnedProcess.commandLine(h).contains(dataDir.toString()))
          .ifPresent(ProcessHandle::destroyForcibly);
    }
  }
}
