package fabric.kinesis.shard;

import fabric.core.entity.Reply;
import fabric.core.serialization.CborSerializable;

/** What a shard answers. */
public sealed interface ShardReply extends Reply, CborSerializable {
  record Done() implements ShardReply {}

  /** The first {@code accepted} records of a put got numbers {@code firstRecordNumber}..;
   *  the write limits refused the rest. */
  record Appended(long firstRecordNumber, int accepted) implements ShardReply {}

  /** The shard is closed (a reshard): the caller routes by the stream's new shard map. */
  record ShardClosed(long lastRecordNumber) implements ShardReply {}

  /**
   * @param lastRecordNumber -1 when no record was ever put
   * @param closedAtMillis 0 while open
   */
  record Status(String startingHashKey, String endingHashKey, String parentShardId,
      String adjacentParentShardId, long createdMillis, long firstKeptRecordNumber,
      long lastRecordNumber, long lastArrivalMillis, int retentionHours, long closedAtMillis)
      implements ShardReply {}

  /**
   * Read the journal from {@code journalFrom}, skipping records before
   * {@code fromRecordNumber} (and, for a timestamp, those that arrived before it).
   *
   * @param nextRecordNumber the number the next record will get: the shard's tip
   */
  record Location(long journalFrom, long fromRecordNumber, long nextRecordNumber,
      long lastArrivalMillis, long closedAtMillis) implements ShardReply {}
}
