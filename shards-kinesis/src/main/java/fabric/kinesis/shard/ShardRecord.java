package fabric.kinesis.shard;

import fabric.core.serialization.CborSerializable;
import java.util.Arrays;

/** A record as a shard keeps it in its journal: the producer's partition key and data. */
public record ShardRecord(String partitionKey, byte[] data) implements CborSerializable {
  /** Bytes the shard's throughput limits count: data plus partition key, as Kinesis counts. */
  public int sizeBytes() {
    return data.length + partitionKey.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ShardRecord r && partitionKey.equals(r.partitionKey)
        && Arrays.equals(data, r.data);
  }

  @Override
  public int hashCode() {
    return 31 * partitionKey.hashCode() + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "ShardRecord[" + partitionKey + ", " + data.length + " B]";
  }
}
