package fabric.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fabric.common.v1.ReadConsistency;
import fabric.core.replication.FollowerStatus;
import fabric.core.replication.ReplicationStatus;
import fabric.node.testing.S3TestClient;
import fabric.node.testing.TestCluster;
import fabric.s3.v1.GetObjectRequest;
import fabric.s3.v1.HeadObjectRequest;
import fabric.s3.v1.ListObjectsV2Request;
import fabric.storage.bucket.BucketDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eventually consistent reads are served by the follower in the caller's AZ, which the
 * leader's pushes keep up to date; strong reads go to the leader. When the leader's node
 * crashes (its AZ's node, here), the followers in the other two AZs keep answering eventual
 * reads while strong reads wait for the failover.
 */
class FollowerReadsTest {
  private static final String ACCOUNT = "444455556666";

  @TempDir
  Path dir;

  @Test
  void followersInEveryAzServeEventualReadsAndSurviveTheLeadersCrash() throws Exception {
    try (TestCluster cluster = TestCluster.start(dir);
        S3TestClient client = cluster.client(0, ACCOUNT)) {
      client.createBucket("replicated");
      for (int i = 0; i < 20; i++) {
        client.put("replicated", "k" + i, ("v" + i).getBytes());
      }
      // Every AZ's follower converges to the leader's 20 objects.
      for (String az : TestCluster.AZS) {
        awaitEventualKeyCount(client, az, 20);
      }
      int leader = cluster.leaderOf(0, BucketDefinition.TYPE_KEY.name(), "replicated")
          .orElseThrow();
      for (int i = 0; i < cluster.size(); i++) {
        FollowerStatus follower = followerOn(cluster, i);
        assertThat(follower.az()).isEqualTo(TestCluster.AZS.get(i));
        assertThat(follower.lagEvents()).isZero();
        assertThat(follower.appliedSeqNr()).isGreaterThanOrEqualTo(21); // create + 20 puts
      }

      cluster.crash(leader);
      int survivor = (leader + 1) % cluster.size();
      try (S3TestClient other = cluster.client(survivor, ACCOUNT)) {
        String survivorAz = TestCluster.AZS.get(survivor);
        // Served by the survivor's own follower: no leader needed.
        assertThat(other.blockingFromAz(survivorAz).listObjectsV2(ListObjectsV2Request
            .newBuilder().setBucket("replicated")
            .setReadConsistency(ReadConsistency.READ_CONSISTENCY_EVENTUAL).build())
            .getKeyCount()).isEqualTo(20);
        var body = other.blockingFromAz(survivorAz).getObject(GetObjectRequest.newBuilder()
            .setBucket("replicated").setKey("k7")
            .setReadConsistency(ReadConsistency.READ_CONSISTENCY_EVENTUAL).build());
        StringBuilder read = new StringBuilder();
        body.forEachRemaining(part -> read.append(part.getData().toStringUtf8()));
        assertThat(read.toString()).isEqualTo("v7");
        // After the failover, the new leader's writes reach the followers too.
        S3TestClient.retryWhileUnavailable(() -> other.put("replicated", "after", new byte[] {1}),
            Duration.ofMinutes(1));
        awaitEventualKeyCount(other, survivorAz, 21);
      }
    }
  }

  @Test
  void unknownAzOrConsistencyIsInvalidArgument() throws Exception {
    try (TestCluster cluster = TestCluster.start(dir);
        S3TestClient client = cluster.client(1, ACCOUNT)) {
      client.createBucket("strict");
      assertThatThrownBy(() -> client.blockingFromAz("us-west-2a").headObject(HeadObjectRequest
          .newBuilder().setBucket("strict").setKey("x")
          .setReadConsistency(ReadConsistency.READ_CONSISTENCY_EVENTUAL).build()))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).contains("us-west-2a")
                .contains("us-east-1a");
          });
      assertThatThrownBy(() -> client.blocking().headObject(HeadObjectRequest.newBuilder()
          .setBucket("strict").setKey("x").setReadConsistencyValue(42).build()))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).contains("read_consistency");
          });
      // The node still serves: a strong read of a missing key is NoSuchKey, not an error.
      assertThatThrownBy(() -> client.blocking().headObject(HeadObjectRequest.newBuilder()
          .setBucket("strict").setKey("x").build()))
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }
  }

  private static void awaitEventualKeyCount(S3TestClient client, String az, int expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    int seen = -1;
    while (System.nanoTime() < deadline) {
      seen = client.blockingFromAz(az).listObjectsV2(ListObjectsV2Request.newBuilder()
          .setBucket("replicated").setReadConsistency(ReadConsistency.READ_CONSISTENCY_EVENTUAL)
          .build()).getKeyCount();
      if (seen == expected) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("follower in " + az + " shows " + seen + " keys, expected "
        + expected + " within 30 s");
  }

  private static FollowerStatus followerOn(TestCluster cluster, int node) {
    List<FollowerStatus> followers = ReplicationStatus.get(cluster.node(node).system())
        .followers();
    return followers.stream().filter(f -> f.resourceId().equals("replicated")).findFirst()
        .orElseThrow(() -> new AssertionError("no follower of 'replicated' on node " + node
            + ": " + followers));
  }
}
