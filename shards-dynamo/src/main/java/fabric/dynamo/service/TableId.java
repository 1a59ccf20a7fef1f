package fabric.dynamo.service;

import fabric.dynamo.table.TableSpecs;

/** A table of an account in a region: its entity id and ARN. */
public record TableId(String region, String account, String name) {
  public TableId {
    TableSpecs.checkName(name, "tableName");
  }

  /** {@code <account>/<region>/<name>}: replicas of a global table in several regions are
   *  different entities (regions are simulated in one cluster). */
  public String entityId() {
    return account + "/" + region + "/" + name;
  }

  public String arn() {
    return "arn:aws:dynamodb:" + region + ":" + account + ":table/" + name;
  }

  /** The entity id of one of this table's partitions (a new table id = new partitions). */
  public String partitionEntityId(String tableId, String partition) {
    return entityId() + "/" + tableId + "/" + partition;
  }

  /** The entity id of one of this table's global secondary indexes. */
  public String indexEntityId(String tableId, String index) {
    return entityId() + "/" + tableId + "/" + index;
  }
}
