package fabric.kinesis.stream;

import fabric.core.serialization.CborSerializable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One stream (entity id {@code <account>/<region>/<name>}): null {@code status} until
 * created and after a delete. Records live in shard entities; this is the control plane.
 *
 * @param status CREATING, ACTIVE, UPDATING or DELETING (AWS's StreamStatus)
 * @param mode PROVISIONED or ON_DEMAND
 * @param shards every shard still listed: the open ones and the closed ones whose records
 *     have not expired, in shard id order
 * @param nextShardIndex the number the next new shard gets (ids are never reused)
 * @param reshard the reshard in progress while UPDATING, else null
 * @param scalings when the UpdateShardCount calls of the last 24 hours were accepted
 *     (millis, oldest first; at most {@link StreamRules#MAX_SCALINGS_PER_DAY}, AWS's limit)
 */
public record StreamState(String entityId, String arn, String status, String mode,
    int retentionHours, long createdMillis, List<StreamShard> shards, long nextShardIndex,
    List<Consumer> consumers, Map<String, String> tags, Reshard reshard,
    List<Long> scalings) implements CborSerializable {
  public static final String CREATING = "CREATING";
  public static final String ACTIVE = "ACTIVE";
  public static final String UPDATING = "UPDATING";
  public static final String DELETING = "DELETING";

  public StreamState {
    shards = shards == null ? List.of() : List.copyOf(shards);
    consumers = consumers == null ? List.of() : List.copyOf(consumers);
    scalings = scalings == null ? List.of() : List.copyOf(scalings);
    tags = tags == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(tags));
  }

  /**
   * A reshard between its steps: the new shards are in the map (open, not yet taking
   * records: routing skips shards whose parents are still open), the parents close, then
   * the stream is ACTIVE again.
   *
   * @param closing the shards it closes (one for a split, two for a merge)
   * @param opening the shards it opens
   */
  public record Reshard(List<String> closing, List<String> opening, long startedMillis)
      implements CborSerializable {}

  static StreamState empty(String entityId) {
    return new StreamState(entityId, null, null, null, 0, 0, List.of(), 0, List.of(),
        Map.of(), null, List.of());
  }

  public boolean exists() {
    return status != null;
  }

  public String name() {
    return entityId.substring(entityId.lastIndexOf('/') + 1);
  }

  public StreamShard shard(String shardId) {
    for (StreamShard s : shards) {
      if (s.shardId().equals(shardId)) {
        return s;
      }
    }
    return null;
  }

  public long openShardCount() {
    return shards.stream().filter(StreamShard::open).count();
  }

  StreamState with(String newStatus, List<StreamShard> newShards, long newNextShardIndex,
      Reshard newReshard) {
    return new StreamState(entityId, arn, newStatus, mode, retentionHours, createdMillis,
        newShards, newNextShardIndex, consumers, tags, newReshard, scalings);
  }

  StreamState withRetention(int hours) {
    return new StreamState(entityId, arn, status, mode, hours, createdMillis, shards,
        nextShardIndex, consumers, tags, reshard, scalings);
  }

  StreamState withConsumers(List<Consumer> newConsumers) {
    return new StreamState(entityId, arn, status, mode, retentionHours, createdMillis, shards,
        nextShardIndex, newConsumers, tags, reshard, scalings);
  }

  StreamState withTags(Map<String, String> newTags) {
    return new StreamState(entityId, arn, status, mode, retentionHours, createdMillis, shards,
        nextShardIndex, consumers, newTags, reshard, scalings);
  }

  StreamState withMode(String newMode) {
    return new StreamState(entityId, arn, status, newMode, retentionHours, createdMillis,
        shards, nextShardIndex, consumers, tags, reshard, scalings);
  }

  StreamState withScalings(List<Long> newScalings) {
    return new StreamState(entityId, arn, status, mode, retentionHours, createdMillis, shards,
        nextShardIndex, consumers, tags, reshard, newScalings);
  }

  /** The accepted UpdateShardCount calls of the 24 hours before {@code nowMillis}. */
  public List<Long> scalingsSince(long nowMillis) {
    return scalings.stream().filter(t -> t > nowMillis - StreamRules.SCALING_WINDOW_MILLIS)
        .toList();
  }
}
