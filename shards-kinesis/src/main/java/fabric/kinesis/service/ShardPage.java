package fabric.kinesis.service;

import fabric.core.entity.JournalRead;
import fabric.kinesis.model.SequenceNumbers;
import fabric.kinesis.shard.ShardEvent;
import fabric.kinesis.shard.ShardReply;
import fabric.kinesis.shard.ShardRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * One page of a shard's records cut from journal events read from a position: what
 * GetRecords answers and what a SubscribeToShard event carries. Pure, so both readers cut
 * pages alike (records before the position or before an AT_TIMESTAMP skipped, a page ends
 * at {@code maxRecords} or {@code maxBytes}, the rest of a cut event comes next time).
 *
 * @param records the page, in record order
 * @param nextRecord the record number the next page starts at
 * @param nextJournal the journal sequence number the next read starts at
 * @param lastArrivalMillis the last record's arrival, -1 without records
 * @param full the page stopped at a limit: more records follow in the events read
 * @param closed the shard's close was read and every record before it is in this page or
 *     an earlier one: nothing follows
 */
public record ShardPage(List<KinesisReads.Record> records, long nextRecord, long nextJournal,
    long lastArrivalMillis, boolean full, boolean closed) {

  public static ShardPage cut(ShardIterators.Position from,
      List<JournalRead.Event<ShardEvent>> events, int maxRecords, long maxBytes) {
    List<KinesisReads.Record> out = new ArrayList<>();
    long bytes = 0;
    long nextRecord = from.recordNumber();
    long nextJournal = from.journalFrom();
    long lastArrival = -1;
    boolean full = false;
    boolean closed = false;
    for (JournalRead.Event<ShardEvent> e : events) {
      if (e.event() instanceof ShardEvent.Closed) {
        closed = true;
      }
      if (!(e.event() instanceof ShardEvent.RecordsPut put)) {
        nextJournal = e.seqNr() + 1;
        continue;
      }
      List<ShardRecord> records = put.records();
      for (int i = 0; i < records.size() && !full; i++) {
        long number = put.firstRecordNumber() + i;
        if (number < nextRecord || put.arrivalMillis() < from.fromMillis()) {
          continue; // before the position, or before the AT_TIMESTAMP
        }
        ShardRecord r = records.get(i);
        if (out.size() >= maxRecords || (bytes + r.sizeBytes() > maxBytes && !out.isEmpty())) {
          full = true;
          break;
        }
        out.add(new KinesisReads.Record(SequenceNumbers.format(number), put.arrivalMillis(),
            r.data(), r.partitionKey()));
        bytes += r.sizeBytes();
        nextRecord = number + 1;
        lastArrival = put.arrivalMillis();
      }
      if (full) {
        nextJournal = e.seqNr(); // the rest of this event comes next time
        break;
      }
      nextJournal = e.seqNr() + 1;
      nextRecord = Math.max(nextRecord, put.firstRecordNumber() + records.size());
    }
    return new ShardPage(List.copyOf(out), nextRecord, nextJournal, lastArrival, full,
        closed && !full);
  }

  /**
   * MillisBehindLatest after this page: 0 only once it reached the tip; at least 1 while
   * records follow. Not the arrival difference alone: arrivals stand still while a serving
   * node's clock is behind the shard's last arrival (they never go back), and a page of
   * events all before the position (an iterator whose journal position is a coarse lower
   * bound) has no arrival at all; both said 0, and a reader took itself for caught up
   * with thousands of records to go (the clock-skew drill).
   */
  public long millisBehind(ShardReply.Location tip) {
    if (nextRecord >= tip.nextRecordNumber()) {
      return 0;
    }
    return Math.max(1, lastArrivalMillis < 0 ? 0 : tip.lastArrivalMillis() - lastArrivalMillis);
  }

  public long bytes() {
    long n = 0;
    for (KinesisReads.Record r : records) {
      n += r.data().length
          + r.partitionKey().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
    return n;
  }

  /** The position after this page (AT_TIMESTAMP's filter kept until a record passed it). */
  public ShardIterators.Position next(ShardIterators.Position from, long nowMillis) {
    return new ShardIterators.Position(from.shardEntity(), from.shardId(), nextRecord,
        nextJournal, records.isEmpty() ? from.fromMillis() : 0, nowMillis);
  }
}
