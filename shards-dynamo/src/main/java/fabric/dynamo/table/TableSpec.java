package fabric.dynamo.table;

import fabric.core.serialization.CborSerializable;
import fabric.dynamo.model.KeySchema;
import java.util.List;
import java.util.Map;

/**
 * What CreateTable asked for, once checked ({@link TableSpecs#check}).
 *
 * @param attributeDefinitions attribute name to S, N or B: exactly the key attributes of the
 *     table and its indexes
 * @param billingMode PROVISIONED or PAY_PER_REQUEST
 * @param streamViewType null = no stream; else KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or
 *     NEW_AND_OLD_IMAGES
 */
public record TableSpec(Map<String, String> attributeDefinitions, KeySchema keySchema,
    String billingMode, long readCapacityUnits, long writeCapacityUnits,
    List<IndexSpec> localIndexes, List<IndexSpec> globalIndexes, String streamViewType)
    implements CborSerializable {
  public static final String PROVISIONED = "PROVISIONED";
  public static final String PAY_PER_REQUEST = "PAY_PER_REQUEST";

  public TableSpec {
    attributeDefinitions = Map.copyOf(attributeDefinitions);
    localIndexes = localIndexes == null ? List.of() : List.copyOf(localIndexes);
    globalIndexes = globalIndexes == null ? List.of() : List.copyOf(globalIndexes);
  }

  /** A whole item written against the keys of every secondary index (see
   *  {@link IndexSpec#checkKeys}). */
  public void checkIndexKeys(fabric.dynamo.model.Item item) {
    IndexSpec.checkKeys(localIndexes, item);
    IndexSpec.checkKeys(globalIndexes, item);
  }
}
