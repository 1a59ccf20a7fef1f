package fabric.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fabric.node.testing.S3TestClient;
import fabric.node.testing.TestCluster;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./fabric status} against a real three-node cluster: every node, its AZ, ports and
 *  PID, and who leads what. */
class StatusCommandTest {
  @TempDir
  Path dataDir;

  @Test
  void statusShowsEveryNodeWithItsAzPortsAndTheResourcesItLeads() throws Exception {
    try (TestCluster cluster = TestCluster.start(dataDir);
        S3TestClient client = cluster.client(0, "777788889999")) {
      client.createBucket("status-a");
      client.createBucket("status-b");
      String management = "127.0.0.1:" + cluster.node(2).settings().managementPort();

      // Followers start on the leader's first push, asynchronously: wait until every bucket
      // shows one per AZ, caught up.
      JsonNode view = null;
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (System.nanoTime() < deadline) {
        view = new ObjectMapper().readTree(run("--management", management, "--json"));
        if (followersCaughtUpInEveryAz(view)) {
          break;
        }
        Thread.sleep(200);
      }
      assertThat(view.path("nodes")).hasSize(3);
      for (int i = 0; i < 3; i++) {
        JsonNode node = view.path("nodes").get(i);
        assertThat(node.path("az").asText()).isEqualTo(TestCluster.AZS.get(i));
        assertThat(node.path("grpcPort").asInt()).isEqualTo(cluster.node(i).grpcPort());
        assertThat(node.path("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        assertThat(node.path("status").asText()).isEqualTo("Up");
      }
      assertThat(view.path("leaders").findValuesAsText("id"))
          .contains("status-a", "status-b", "global");
      // Every bucket has a follower in each AZ, caught up with its leader (pushed on create).
      for (JsonNode resource : view.path("leaders")) {
        if (resource.path("type").asText().equals("Bucket")) {
          assertThat(resource.path("followers").findValuesAsText("az"))
              .containsExactlyElementsOf(TestCluster.AZS);
          assertThat(resource.path("followers").findValuesAsText("lagEvents"))
              .containsOnly("0");
        }
      }

      String table = run("--management", management);
      assertThat(table).contains("node-1", "us-east-1a", "node-3", "us-east-1c",
          "Bucket/status-a", "FOLLOWERS");
      // Each node exports its own followers; together they cover both buckets.
      StringBuilder metrics = new StringBuilder();
      for (int i = 0; i < 3; i++) {
        metrics.append(fetch("http://127.0.0.1:" + cluster.node(i).settings().managementPort()
            + "/metrics"));
      }
      assertThat(metrics.toString()).contains("fabric_follower_lag_events{")
          .contains("resource=\"status-a\"").contains("resource=\"status-b\"");
      assertThat(run("--management", "127.0.0.1:1")).isEmpty();
    }
  }

  private static boolean followersCaughtUpInEveryAz(JsonNode view) {
    for (JsonNode resource : view.path("leaders")) {
      if (resource.path("type").asText().equals("Bucket")
          && (!resource.path("followers").findValuesAsText("az").equals(TestCluster.AZS)
              || resource.path("followers").findValuesAsText("lagEvents").stream()
                  .anyMatch(lag -> !lag.equals("0")))) {
        return false;
      }
    }
    return true;
  }

  private static String fetch(String url) throws Exception {
    return java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
  }

  /** Runs the command with its own output stream (the nodes' logs go to System.out). */
  private static String run(String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    CommandLine command = new CommandLine(new StatusCommand());
    command.setOut(new java.io.PrintWriter(out, true));
    command.execute(args);
    return out.toString();
  }
}
