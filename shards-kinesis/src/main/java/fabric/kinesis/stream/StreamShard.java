package fabric.kinesis.stream;

import fabric.core.serialization.CborSerializable;
import fabric.kinesis.model.HashKeys;
import java.math.BigInteger;

/**
 * A shard as its stream's map has it.
 *
 * @param startingHashKey first hash key it owns (decimal)
 * @param endingHashKey last hash key it owns (decimal)
 * @param parentShardId null for the stream's first shards
 * @param adjacentParentShardId the other parent of a merge, else null
 * @param closedAtMillis 0 while open
 * @param endingRecordNumber its last record once closed (-1: closed without records)
 */
public record StreamShard(String shardId, String startingHashKey, String endingHashKey,
    String parentShardId, String adjacentParentShardId, long createdMillis,
    long closedAtMillis, long endingRecordNumber) implements CborSerializable {

  public boolean open() {
    return closedAtMillis == 0;
  }

  public HashKeys.Range range() {
    return new HashKeys.Range(new BigInteger(startingHashKey), new BigInteger(endingHashKey));
  }

  StreamShard closed(long atMillis, long lastRecordNumber) {
    return new StreamShard(shardId, startingHashKey, endingHashKey, parentShardId,
        adjacentParentShardId, createdMillis, atMillis, lastRecordNumber);
  }
}
