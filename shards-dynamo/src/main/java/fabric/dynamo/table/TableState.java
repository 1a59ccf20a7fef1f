package fabric.dynamo.table;

import fabric.core.serialization.CborSerializable;
import java.util.List;
import java.util.Map;

/**
 * One table (entity id {@code <account>/<name>}): null {@code spec} until created and after
 * a delete. Items live in partition entities, each owning the partition-key tokens from its
 * {@link Partition#fromToken} to the next partition's.
 *
 * @param status CREATING, ACTIVE, UPDATING or DELETING (AWS's TableStatus)
 * @param ttlAttribute null while TTL is disabled
 * @param closedPartitions partitions split in two within the stream's 24 h retention, oldest
 *     first: their stream shards are closed but still readable ({@link ClosedPartition})
 * @param replicas a global table's replicas in other regions (empty: a regional table)
 */
public record TableState(String entityId, String region, String tableId, TableSpec spec,
    String status, long createdAtMillis, List<Partition> partitions, String ttlAttribute,
    Map<String, String> tags, long deletedAtMillis, List<ClosedPartition> closedPartitions,
    List<Replica> replicas)
    implements CborSerializable {
  public static final String CREATING = "CREATING";
  public static final String ACTIVE = "ACTIVE";

  public TableState {
    partitions = partitions == null ? List.of() : List.copyOf(partitions);
    tags = tags == null ? Map.of() : Map.copyOf(tags);
    closedPartitions = closedPartitions == null ? List.of() : List.copyOf(closedPartitions);
    replicas = replicas == null ? List.of() : List.copyOf(replicas);
  }

  /** A global table's replica in another region: CREATING (its copy runs) or ACTIVE, since
   *  {@code sinceMillis}. */
  public record Replica(String regionName, String status, long sinceMillis)
      implements CborSerializable {}

  /** The replica in {@code regionName}, null if there is none. */
  public Replica replica(String regionName) {
    return replicas.stream().filter(r -> r.regionName().equals(regionName)).findFirst()
        .orElse(null);
  }

  /** The replicas' regions. */
  public List<String> replicaRegions() {
    return replicas.stream().map(Replica::regionName).toList();
  }

  /**
   * A partition that was split: its journal (its stream shard) ends at {@code endingSeqNr},
   * its children are {@code id + "a"} and {@code id + "b"}.
   *
   * @param endingSeqNr the journal sequence number of the event that froze it (no item
   *     change after it)
   */
  public record ClosedPartition(String id, long fromToken, long endingSeqNr,
      long closedAtMillis) implements CborSerializable {}

  /** A partition: its entity's id suffix and the first partition-key token it owns. */
  public record Partition(String id, long fromToken) implements CborSerializable {}

  static TableState empty(String entityId) {
    return new TableState(entityId, null, null, null, null, 0, List.of(), null, Map.of(), 0,
        List.of(), List.of());
  }

  public boolean exists() {
    return spec != null;
  }

  TableState with(String newStatus, List<Partition> newPartitions, String newTtl,
      Map<String, String> newTags) {
    return new TableState(entityId, region, tableId, spec, newStatus, createdAtMillis,
        newPartitions, newTtl, newTags, deletedAtMillis, closedPartitions, replicas);
  }

  TableState withReplicas(List<Replica> newReplicas) {
    return new TableState(entityId, region, tableId, spec, status, createdAtMillis, partitions,
        ttlAttribute, tags, deletedAtMillis, closedPartitions, newReplicas);
  }
}
