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
 */
public record TableState(String entityId, String region, String tableId, TableSpec spec,
    String status, long createdAtMillis, List<Partition> partitions, String ttlAttribute,
    Map<String, String> tags, long deletedAtMillis) implements CborSerializable {
  public static final String CREATING = "CREATING";
  public static final String ACTIVE = "ACTIVE";

  public TableState {
    partitions = partitions == null ? List.of() : List.copyOf(partitions);
    tags = tags == null ? Map.of() : Map.copyOf(tags);
  }

  /** A partition: its entity's id suffix and the first partition-key token it owns. */
  public record Partition(String id, long fromToken) implements CborSerializable {}

  static TableState empty(String entityId) {
    return new TableState(entityId, null, null, null, null, 0, List.of(), null, Map.of(), 0);
  }

  public boolean exists() {
    return spec != null;
  }

  TableState with(String newStatus, List<Partition> newPartitions, String newTtl,
      Map<String, String> newTags) {
    return new TableState(entityId, region, tableId, spec, newStatus, createdAtMillis,
        newPartitions, newTtl, newTags, deletedAtMillis);
  }
}
