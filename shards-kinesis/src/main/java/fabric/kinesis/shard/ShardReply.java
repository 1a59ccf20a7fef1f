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
   * @param journalTip the journal sequence number the next event will get (0: unknown)
   */
  record Location(long journalFrom, long fromRecordNumber, long nextRecordNumber,
      long lastArrivalMillis, long closedAtMillis, long journalTip) implements ShardReply {
    public Location(long journalFrom, long fromRecordNumber, long nextRecordNumber,
        long lastArrivalMillis, long closedAtMillis) {
      this(journalFrom, fromRecordNumber, nextRecordNumber, lastArrivalMillis, closedAtMillis,
          0);
    }

    /**
     * How many journal events a read from {@code journalPosition} (at record
     * {@code recordNumber}) likely needs for {@code records} records: the events left to
     * the tip over the records left, at least {@code floor}, at most {@code cap}. Reading a
     * fixed 1,000 events for a page of 1,000 records read ~12 MB (events of ~12 records)
     * from a journal larger than its cache: 8 readers spent 0.5-1 s per call in H2.
     */
    public int eventsFor(long journalPosition, long recordNumber, int records, int floor,
        int cap) {
      long eventsLeft = journalTip - journalPosition;
      long recordsLeft = nextRecordNumber - recordNumber;
      if (journalTip <= 0 || eventsLeft <= 0 || recordsLeft <= 0) {
        return cap;
      }
      double perEvent = (double) recordsLeft / eventsLeft;
      long want = (long) Math.ceil(records / perEvent) + floor;
      return (int) Math.max(floor, Math.min(cap, want));
    }
  }
}
