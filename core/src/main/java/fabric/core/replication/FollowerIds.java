package fabric.core.replication;

import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * Naming of follower entities: one follower type per resource type, one follower entity
 * per (AZ, resource), with id {@code az|resourceId} and a shard id that starts with the AZ
 * so the allocation strategy can keep it there.
 */
public final class FollowerIds {
  static final char SEPARATOR = '|';

  private FollowerIds() {}

  public static EntityTypeKey<Object> typeKey(EntityTypeKey<?> leaderType) {
    return EntityTypeKey.create(Object.class, leaderType.name() + "-follower");
  }

  public static String entityId(String az, String resourceId) {
    return az + SEPARATOR + resourceId;
  }

  public static String azOf(String followerEntityOrShardId) {
    int at = followerEntityOrShardId.indexOf(SEPARATOR);
    if (at <= 0) {
      throw new IllegalArgumentException("not a follower id: " + followerEntityOrShardId);
    }
    return followerEntityOrShardId.substring(0, at);
  }

  public static String resourceIdOf(String followerEntityId) {
    return followerEntityId.substring(followerEntityId.indexOf(SEPARATOR) + 1);
  }

  /** The AZ, then the resource's hash bucket: {@code us-east-1b|417}. */
  public static String shardId(String followerEntityId, int numberOfShards) {
    String resourceId = resourceIdOf(followerEntityId);
    return azOf(followerEntityId) + SEPARATOR
        + Math.floorMod(resourceId.hashCode(), numberOfShards);
  }
}
