package fabric.node;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.typesafe.config.Config;
import fabric.core.blob.BlobStore;
import fabric.core.entity.EntityClient;
import fabric.core.entity.ResourceSharding;
import fabric.core.topology.NodeLocation;
import fabric.storage.blob.CassandraBlobStore;
import fabric.storage.blob.FileSystemBlobStore;
import fabric.storage.blob.ZonedBlobStore;
import fabric.storage.bucket.BucketDefinition;
import fabric.storage.registry.BucketRegistryDefinition;
import fabric.storage.service.DelayedBlobReleaser;
import fabric.storage.service.S3Service;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.pekko.actor.typed.ActorSystem;

/** S3 on one node: the blob store for the chosen persistence, the sharded entities, the
 *  service the gateways call. */
final class S3Wiring {
  static final List<String> ENTITY_TYPES = List.of(
      BucketDefinition.TYPE_KEY.name(), BucketRegistryDefinition.TYPE_KEY.name());

  private S3Wiring() {}

  /** Regional blobs under blobs/, One Zone blobs under blobs/zones/AZ (one machine). */
  static BlobStore embeddedBlobStore(Config config, Path dataDir) {
    Config blob = config.getConfig("fabric.s3.blob");
    int chunk = (int) blob.getMemorySize("chunk-size").toBytes();
    boolean fsync = blob.getBoolean("fsync");
    return new ZonedBlobStore(new FileSystemBlobStore(dataDir.resolve("blobs"), chunk, fsync),
        az -> new FileSystemBlobStore(dataDir.resolve("blobs").resolve("zones").resolve(az),
            chunk, fsync));
  }

  /**
   * Regional blobs in {@code keyspace} (one replica per AZ); One Zone blobs of AZ x in
   * {@code keyspace_x}, replicated only to the data center named x when the fabric's
   * keyspaces use NetworkTopologyStrategy (one data center per AZ, as `./fabric up
   * --processes` sets it up), else like the regional keyspace (a single-DC development
   * Cassandra has no AZ to confine them to).
   */
  static ZonedBlobStore cassandraBlobStore(Config config, CqlSession session, String keyspace,
      String replication) {
    Config blob = config.getConfig("fabric.s3.blob");
    int chunk = (int) blob.getMemorySize("chunk-size").toBytes();
    return new ZonedBlobStore(
        new CassandraBlobStore(session, keyspace, chunk, DefaultConsistencyLevel.QUORUM, 4),
        az -> {
          String zoneKeyspace = keyspace + "_" + az.replace('-', '_');
          session.execute("CREATE KEYSPACE IF NOT EXISTS " + zoneKeyspace
              + " WITH replication = " + (zonesOf(replication).isEmpty()
                  ? replication : "{'class':'NetworkTopologyStrategy','" + az + "':1}"));
          return new CassandraBlobStore(session, zoneKeyspace, chunk,
              DefaultConsistencyLevel.QUORUM, 4);
        });
  }

  /** The data centers (= AZs) of a NetworkTopologyStrategy replication map; else none. */
  static List<String> zonesOf(String replication) {
    if (!replication.contains("NetworkTopologyStrategy")) {
      return List.of();
    }
    List<String> zones = new java.util.ArrayList<>();
    var m = java.util.regex.Pattern.compile("'([^']+)'\\s*:\\s*'?\\d+'?").matcher(replication);
    while (m.find()) {
      zones.add(m.group(1));
    }
    return zones;
  }

  static S3Service start(ActorSystem<?> system, Config config, NodeLocation location,
      BlobStore blobs, EntityClient entities, Executor blobIo,
      ScheduledExecutorService scheduler) {
    Config s3 = config.getConfig("fabric.s3");
    var releaser = new DelayedBlobReleaser(blobs, scheduler, s3.getDuration("blob.release-grace"));
    ResourceSharding.init(system,
        new BucketRegistryDefinition(s3.getInt("max-buckets-per-account")), location);
    ResourceSharding.init(system,
        new BucketDefinition(releaser, s3.getInt("snapshot-every-events")), location);
    return new S3Service(entities, blobs, blobIo, Clock.systemUTC(), location);
  }
}
