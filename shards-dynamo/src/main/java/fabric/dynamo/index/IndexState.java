package fabric.dynamo.index;

import fabric.core.serialization.CborSerializable;
import fabric.dynamo.model.KeySchema;
import fabric.dynamo.table.IndexSpec;
import java.util.Map;

/**
 * A global secondary index (entity id {@code <account>/<table>/<tableId>/<index>}).
 *
 * @param spec null until initialized and after a drop
 * @param tableKeys the base table's key (the keys every entry carries)
 * @param status CREATING (backfilling: not all base partitions read yet), ACTIVE, or
 *     null (not initialized, dropped)
 * @param cursors base partition id to the journal sequence number read next from it; a
 *     partition of the table's map without one has not been read yet
 */
public record IndexState(String entityId, IndexSpec spec, KeySchema tableKeys, String status,
    Map<String, Long> cursors, GlobalIndexStore entries) implements CborSerializable {
  public static final String CREATING = "CREATING";
  public static final String ACTIVE = "ACTIVE";

  public IndexState {
    cursors = cursors == null ? Map.of() : Map.copyOf(cursors);
    entries = entries == null ? GlobalIndexStore.empty() : entries;
  }

  static IndexState empty(String entityId) {
    return new IndexState(entityId, null, null, null, Map.of(), GlobalIndexStore.empty());
  }

  public boolean initialized() {
    return spec != null;
  }
}
