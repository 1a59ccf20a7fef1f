package fabric.node;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.node.testing.S3TestClient;
import fabric.node.testing.TestCluster;
import fabric.s3.v1.HeadObjectRequest;
import fabric.s3.v1.ListObjectsV2Request;
import fabric.storage.bucket.BucketDefinition;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes in us-east-1a/b/c. The node that leads a bucket is crashed (no graceful leave):
 * the Split Brain Resolver downs it, sharding moves the bucket to a surviving AZ, and every
 * acknowledged object must be readable there, byte for byte.
 */
class ThreeAzFailoverTest {
  private static final String ACCOUNT = "111122223333";

  @TempDir
  Path dataDir;

  @Test
  void crashingTheLeaderOfABucketLosesNoAcknowledgedObject() throws Exception {
    try (TestCluster cluster = TestCluster.start(dataDir)) {
      Map<String, byte[]> written = new LinkedHashMap<>();
      Random random = new Random(42);
      try (S3TestClient client = cluster.client(0, ACCOUNT)) {
        for (String bucket : new String[] {"alpha-photos", "beta-logs", "gamma-data"}) {
          client.createBucket(bucket);
          for (int size : new int[] {0, 1, 4096, 3 * 1024 * 1024 + 17}) {
            byte[] body = new byte[size];
            random.nextBytes(body);
            String key = "dir/" + size + "/é-" + bucket;
            client.put(bucket, key, body);
            written.put(bucket + "/" + key, body);
          }
        }
      }

      String bucket = "beta-logs";
      int leader = cluster.leaderOf(0, BucketDefinition.TYPE_KEY.name(), bucket).orElseThrow();
      int survivor = (leader + 1) % cluster.size();
      String leaderAz = TestCluster.AZS.get(leader);
      long crashedAt = System.nanoTime();
      cluster.crash(leader);

      try (S3TestClient client = cluster.client(survivor, ACCOUNT)) {
        long unavailableMillis = awaitReadable(client, bucket, "dir/1/é-" + bucket, crashedAt);
        System.out.printf("FAILOVER: bucket %s was unavailable for %d ms after its leader "
            + "node-%d in %s crashed%n", bucket, unavailableMillis, leader + 1, leaderAz);

        for (var e : written.entrySet()) {
          String b = e.getKey().substring(0, e.getKey().indexOf('/'));
          String key = e.getKey().substring(b.length() + 1);
          // Other buckets may still be moving when the first one answers.
          byte[] read = S3TestClient.retryWhileUnavailable(
              () -> S3TestClient.get(client.blocking(), b, key, ""), Duration.ofSeconds(60));
          assertThat(read).as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(client.blocking().listObjectsV2(ListObjectsV2Request.newBuilder()
            .setBucket(bucket).build()).getKeyCount()).isEqualTo(4);

        // The moved bucket takes writes again.
        client.put(bucket, "after-failover", new byte[] {1, 2, 3});
        assertThat(client.get(bucket, "after-failover")).containsExactly(1, 2, 3);
      }
      assertThat(cluster.leaderOf(survivor, BucketDefinition.TYPE_KEY.name(), bucket))
          .hasValueSatisfying(n -> assertThat(n).isNotEqualTo(leader));
    }
  }

  /** Polls a surviving node until the bucket answers; returns ms since the crash. */
  private static long awaitReadable(S3TestClient client, String bucket, String key,
      long crashedAtNanos) throws InterruptedException {
    long deadline = crashedAtNanos + 120_000_000_000L;
    while (true) {
      try {
        client.blocking(500).headObject(
            HeadObjectRequest.newBuilder().setBucket(bucket).setKey(key).build());
        return (System.nanoTime() - crashedAtNanos) / 1_000_000;
      } catch (StatusRuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("bucket still unavailable 120 s after the crash", e);
        }
        Thread.sleep(100);
      }
    }
  }
}
