package fabric.node;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.node.testing.FabricProcess;
import fabric.node.testing.S3TestClient;
import fabric.s3.v1.DeleteObjectRequest;
import fabric.s3.v1.ListBucketsRequest;
import fabric.s3.v1.ListObjectsV2Request;
import fabric.s3.v1.Object;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole cluster (three nodes in one {@code fabric up} process) is killed with SIGKILL,
 * then stopped with SIGTERM, and restarted on the same data directory each time: every
 * acknowledged bucket and object must come back byte for byte, overwrites and deletes
 * included.
 */
class RestartDurabilityTest {
  private static final String ACCOUNT = "000000000000";

  @TempDir
  Path dataDir;

  @Test
  void everyAcknowledgedWriteSurvivesKillNineAndAGracefulRestart() throws Exception {
    Map<String, byte[]> expected = new LinkedHashMap<>();
    Random random = new Random(7);
    try (FabricProcess fabric = FabricProcess.up(dataDir);
        S3TestClient client = new S3TestClient("127.0.0.1", fabric.grpcPort, ACCOUNT)) {
      client.createBucket("restart-a");
      client.createBucket("restart-b");
      for (int i = 0; i < 40; i++) {
        byte[] body = new byte[i * 997];
        random.nextBytes(body);
        String bucket = i % 2 == 0 ? "restart-a" : "restart-b";
        client.put(bucket, "k/" + i, body);
        expected.put(bucket + "/k/" + i, body);
      }
      byte[] big = new byte[9 * 1024 * 1024 + 3];
      random.nextBytes(big);
      client.put("restart-a", "big", big);
      expected.put("restart-a/big", big);
      client.put("restart-a", "k/0", new byte[] {42}); // overwrite
      expected.put("restart-a/k/0", new byte[] {42});
      client.blocking().deleteObject(DeleteObjectRequest.newBuilder()
          .setBucket("restart-b").setKey("k/1").build());
      expected.remove("restart-b/k/1");
      fabric.kill();
    }

    try (FabricProcess fabric = FabricProcess.up(dataDir);
        S3TestClient client = new S3TestClient("127.0.0.1", fabric.grpcPort, ACCOUNT)) {
      assertEverythingIsThere(client, expected);
      client.put("restart-b", "after-kill", new byte[] {7});
      expected.put("restart-b/after-kill", new byte[] {7});
      assertThat(fabric.terminate()).as("exit code after SIGTERM").isIn(0, 143);
    }

    try (FabricProcess fabric = FabricProcess.up(dataDir);
        S3TestClient client = new S3TestClient("127.0.0.1", fabric.grpcPort, ACCOUNT)) {
      assertEverythingIsThere(client, expected);
    }
  }

  private static void assertEverythingIsThere(S3TestClient client, Map<String, byte[]> expected) {
    // A restarted fabric's first calls allocate shards and replay them: retried, as an SDK does.
    assertThat(S3TestClient.retryWhileUnavailable(() -> client.blocking()
        .listBuckets(ListBucketsRequest.getDefaultInstance()), java.time.Duration.ofMinutes(1))
        .getBucketsList()).extracting(b -> b.getName())
        .containsExactly("restart-a", "restart-b");
    for (String bucket : List.of("restart-a", "restart-b")) {
      List<String> keys = client.blocking().listObjectsV2(ListObjectsV2Request.newBuilder()
          .setBucket(bucket).build()).getContentsList().stream().map(Object::getKey).toList();
      assertThat(keys).containsExactlyInAnyOrderElementsOf(expected.keySet().stream()
          .filter(k -> k.startsWith(bucket + "/")).map(k -> k.substring(bucket.length() + 1))
          .toList());
    }
    for (var e : expected.entrySet()) {
      String bucket = e.getKey().substring(0, e.getKey().indexOf('/'));
      String key = e.getKey().substring(bucket.length() + 1);
      assertThat(client.get(bucket, key)).as(e.getKey()).isEqualTo(e.getValue());
    }
    try {
      client.get("restart-b", "k/1");
      throw new AssertionError("deleted object came back");
    } catch (StatusRuntimeException e) {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    }
  }
}
