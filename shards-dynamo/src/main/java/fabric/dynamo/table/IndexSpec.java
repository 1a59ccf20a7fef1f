package fabric.dynamo.table;

import fabric.core.serialization.CborSerializable;
import fabric.dynamo.model.KeySchema;
import java.util.List;

/**
 * A secondary index as created: its key, what it projects, and (global ones) its capacity.
 *
 * @param projectionType KEYS_ONLY, INCLUDE or ALL
 * @param nonKeyAttributes INCLUDE's attributes, else empty
 */
public record IndexSpec(String name, KeySchema keySchema, String projectionType,
    List<String> nonKeyAttributes, long readCapacityUnits, long writeCapacityUnits)
    implements CborSerializable {
  public IndexSpec {
    nonKeyAttributes = nonKeyAttributes == null ? List.of() : List.copyOf(nonKeyAttributes);
  }
}
