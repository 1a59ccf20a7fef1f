package fabric.node;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.node.management.ClusterView;
import fabric.node.testing.S3TestClient;
import fabric.node.testing.TestCluster;
import fabric.storage.bucket.BucketDefinition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bucket leaders are placed AZ by AZ (AzAwareAllocationStrategy), so each of the three AZs
 * leads about a third of the buckets and losing one AZ moves only that third.
 */
class LeadersSpreadOverAzsTest {
  @TempDir
  Path dataDir;

  @Test
  void thirtyBucketsAreLedByAllThreeAzsAboutEqually() throws Exception {
    try (TestCluster cluster = TestCluster.start(dataDir);
        S3TestClient client = cluster.client(0, "444455556666")) {
      for (int i = 0; i < 30; i++) {
        client.createBucket("spread-" + i);
      }
      ClusterView view = new ClusterView(cluster.node(1).system(),
          List.of(BucketDefinition.TYPE_KEY.name()), Duration.ofSeconds(3));
      Map<String, Long> perAz = view.snapshot().toCompletableFuture().get(10, TimeUnit.SECONDS)
          .leaders().stream().filter(l -> !l.nodeId().isEmpty())
          .collect(Collectors.groupingBy(ClusterView.ResourceLeader::az, Collectors.counting()));
      System.out.println("LEADERS-PER-AZ " + perAz);
      assertThat(perAz).containsOnlyKeys(TestCluster.AZS);
      assertThat(perAz.values()).allSatisfy(n -> assertThat(n).isBetween(8L, 12L));
    }
  }
}
