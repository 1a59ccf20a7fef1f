package fabric.node.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fabric.node.launcher.LaunchPlan.NodeSpec;
import fabric.node.launcher.LaunchPlan.RestartPolicy;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where N node processes go: AZs, ids, ports, seeds; and every argument check. */
class LaunchPlanTest {
  private static final List<String> AZS = List.of("us-east-1a", "us-east-1b", "us-east-1c");

  private static LaunchPlan plan(int processes) {
    return new LaunchPlan(Path.of("data"), processes, AZS, "127.0.0.1", 50051, 8558, 2551,
        "512m", RestartPolicy.ALWAYS, 9042, 7000);
  }

  @Test
  void nodesAreSpreadOverTheAzsRoundRobinWithPortsCountingUp() {
    List<NodeSpec> nodes = plan(6).nodes();
    assertThat(nodes).extracting(NodeSpec::id)
        .containsExactly("node-1", "node-2", "node-3", "node-4", "node-5", "node-6");
    assertThat(nodes).extracting(NodeSpec::az).containsExactly(
        "us-east-1a", "us-east-1b", "us-east-1c", "us-east-1a", "us-east-1b", "us-east-1c");
    NodeSpec fifth = nodes.get(4);
    assertThat(fifth.grpcPort()).isEqualTo(50055);
    assertThat(fifth.managementPort()).isEqualTo(8562);
    assertThat(fifth.remotingPort()).isEqualTo(2555);
    assertThat(fifth.log()).isEqualTo(Path.of("data").toAbsolutePath().resolve("logs/node-5.log"));
    assertThat(fifth.label()).isEqualTo("node-5 (us-east-1b)");
    assertThat(plan(6).region()).isEqualTo("us-east-1");
  }

  @Test
  void theFirstThreeNodesSeedAndARestartingSeedNeverFormsAClusterOfItsOwn() {
    LaunchPlan plan = plan(6);
    assertThat(plan.seedNodes())
        .containsExactly("127.0.0.1:2551", "127.0.0.1:2552", "127.0.0.1:2553");
    NodeSpec first = plan.nodes().get(0);
    // At start node-1 is the first seed: it forms the cluster when nobody answers.
    assertThat(plan.seedsFor(first, false)).startsWith("127.0.0.1:2551");
    // Restarted while others run: last, so it can only join them.
    assertThat(plan.seedsFor(first, true))
        .containsExactly("127.0.0.1:2552", "127.0.0.1:2553", "127.0.0.1:2551");
    // Non-seeds and non-first seeds keep the list: they never join themselves anyway.
    assertThat(plan.seedsFor(plan.nodes().get(5), true)).isEqualTo(plan.seedNodes());
    // A single node is its own seed, whatever happens.
    LaunchPlan single = plan(1);
    assertThat(single.seedsFor(single.nodes().get(0), true)).containsExactly("127.0.0.1:2551");
  }

  @Test
  void argumentsAreCheckedWithMessagesThatNameTheOption() {
    assertThatThrownBy(() -> plan(0)).hasMessage("--processes must be at least 1, got 0");
    assertThatThrownBy(() -> plan(33)).hasMessageStartingWith("--processes must be at most 32");
    assertThatThrownBy(() -> new LaunchPlan(Path.of("d"), 3, AZS, "127.0.0.1", 65534, 8558,
        2551, "512m", RestartPolicy.ALWAYS, 9042, 7000))
        .hasMessage("--grpc-port 65534 with 3 processes needs ports 65534..65536, "
            + "beyond 1..65535");
    assertThatThrownBy(() -> new LaunchPlan(Path.of("d"), 3, AZS, "127.0.0.1", 50051, 50053,
        2551, "512m", RestartPolicy.ALWAYS, 9042, 7000))
        .hasMessage("the ports of --grpc-port (50051..50053) and --management-port "
            + "(50053..50055) overlap: each node process needs one of each");
    assertThatThrownBy(() -> new LaunchPlan(Path.of("d"), 3, AZS, "127.0.0.1", 50051, 8558,
        2551, "half", RestartPolicy.ALWAYS, 9042, 7000))
        .hasMessageStartingWith("--node-heap must be a JVM heap size such as 512m or 1g");
    assertThatThrownBy(() -> new LaunchPlan(Path.of("d"), 3, AZS, "127.0.0.1", 50051, 8558,
        2551, "512m", RestartPolicy.ALWAYS, 7000, 7000))
        .hasMessageStartingWith("--cassandra-port and --cassandra-storage-port must differ");
    assertThatThrownBy(() -> RestartPolicy.parse("sometimes"))
        .hasMessage("--restart must be always or never, got 'sometimes'");
  }

  @Test
  void aCassandraDiskIsNoneOrBetweenWhatCassandraNeedsAndWhatRamAllows() {
    for (int mib : new int[] {1, 255, 8_193, -1}) {
      assertThatThrownBy(() -> new LaunchPlan(Path.of("d"), 3, AZS, "127.0.0.1", 50051, 8558,
          2551, "512m", RestartPolicy.ALWAYS, 9042, 7000, false, mib, false))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("--cassandra-disk-mib must be 0 (no limit) or 256..8192");
    }
    assertThat(new LaunchPlan(Path.of("d"), 3, AZS, "127.0.0.1", 50051, 8558, 2551, "512m",
        RestartPolicy.ALWAYS, 9042, 7000, false, 512, false).cassandraDiskMib()).isEqualTo(512);
  }

  @Test
  void withLinkControlANodeBindsItsRemotingAboveTheProxyThatTakesItsAdvertisedPort() {
    LaunchPlan plan = new LaunchPlan(Path.of("d"), 3, AZS, "127.0.0.1", 50051, 8558, 2551,
        "512m", RestartPolicy.ALWAYS, 9042, 7000, false, 0, true);
    NodeSpec second = plan.nodes().get(1);
    assertThat(second.remotingPort()).isEqualTo(2552);
    assertThat(plan.remotingBindPort(second)).isEqualTo(3552);
    assertThat(plan.linkDelayFile("node-2"))
        .isEqualTo(Path.of("d").toAbsolutePath().resolve("control/link-delay-node-2"));
    assertThat(plan(3).remotingBindPort(second)).isEqualTo(2552);
    assertThatThrownBy(() -> new LaunchPlan(Path.of("d"), 3, AZS, "127.0.0.1", 50051, 3552,
        2551, "512m", RestartPolicy.ALWAYS, 9042, 7000, false, 0, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("remoting bind ports of --link-control");
  }
}
