package fabric.kinesis.service;

/** A stream's scope and name, and the entity ids of it and its shards. */
public record StreamId(String region, String account, String name) {
  /** {@code <account>/<region>/<name>}. */
  public String entityId() {
    return account + "/" + region + "/" + name;
  }

  /** A shard's entity: the stream's creation time in the id, so a stream created again
   *  under the same name never sees the old one's records. */
  public String shardEntityId(long streamCreatedMillis, String shardId) {
    return entityId() + "/" + streamCreatedMillis + "/" + shardId;
  }

  public String arn() {
    return fabric.kinesis.model.StreamNames.arn(region, account, name);
  }

  public String consumerArn(String consumer, long createdMillis) {
    return arn() + "/consumer/" + consumer + ":" + createdMillis / 1000;
  }
}
