package fabric.kinesis.service;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.core.entity.JournalRead;
import fabric.kinesis.shard.ShardEvent;
import fabric.kinesis.shard.ShardReply;
import fabric.kinesis.shard.ShardRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The page cut GetRecords and SubscribeToShard share. */
class ShardPageTest {
  private static final String ENTITY = "111122223333/us-east-1/s/1700000000000/shardId-0";

  private static ShardIterators.Position at(long record, long journal, long fromMillis) {
    return new ShardIterators.Position(ENTITY, "shardId-0", record, journal, fromMillis, 0);
  }

  private static JournalRead.Event<ShardEvent> put(long seqNr, long first, long arrival,
      int count, int bytes) {
    List<ShardRecord> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      records.add(new ShardRecord("k", new byte[bytes - 1]));
    }
    return new JournalRead.Event<>(seqNr, new ShardEvent.RecordsPut(first, arrival, records));
  }

  private static List<String> numbers(ShardPage p) {
    return p.records().stream().map(r -> r.sequenceNumber().substring(50)).toList();
  }

  @Test
  void skipsRecordsBeforeThePositionAndCutsAtTheRecordLimitInsideAnEvent() {
    var events = List.of(new JournalRead.Event<ShardEvent>(1, new ShardEvent.Opened("0", "1",
        null, null, 24, true, 0)), put(2, 0, 10, 3, 10), put(3, 3, 20, 3, 10));
    ShardPage p = ShardPage.cut(at(1, 1, 0), events, 4, 1 << 20);
    assertThat(numbers(p)).containsExactly("000001", "000002", "000003", "000004");
    assertThat(p.full()).isTrue();
    assertThat(p.closed()).isFalse();
    assertThat(p.nextRecord()).isEqualTo(5);
    assertThat(p.nextJournal()).as("the cut event is read again").isEqualTo(3);
    assertThat(p.lastArrivalMillis()).isEqualTo(20);
    ShardPage rest = ShardPage.cut(p.next(at(1, 1, 0), 0), events.subList(2, 3), 4, 1 << 20);
    assertThat(numbers(rest)).containsExactly("000005");
    assertThat(rest.nextJournal()).isEqualTo(4);
  }

  @Test
  void cutsAtTheByteLimitButAlwaysTakesOneRecord() {
    var events = List.of(put(1, 0, 10, 3, 100));
    assertThat(ShardPage.cut(at(0, 1, 0), events, 10, 150).records()).hasSize(1);
    assertThat(ShardPage.cut(at(0, 1, 0), events, 10, 50).records()).hasSize(1);
    assertThat(ShardPage.cut(at(0, 1, 0), events, 10, 200).records()).hasSize(2);
  }

  @Test
  void atTimestampSkipsEarlierArrivalsAndTheCloseEndsTheShardOnlyWhenReadWhole() {
    var events = List.of(put(1, 0, 10, 2, 10), put(2, 2, 30, 2, 10),
        new JournalRead.Event<ShardEvent>(3, new ShardEvent.Closed(3, 40)));
    ShardPage p = ShardPage.cut(at(0, 1, 25), events, 10, 1 << 20);
    assertThat(numbers(p)).containsExactly("000002", "000003");
    assertThat(p.closed()).isTrue();
    assertThat(p.next(at(0, 1, 25), 0).fromMillis()).isZero();
    ShardPage cut = ShardPage.cut(at(0, 1, 0), events, 3, 1 << 20);
    assertThat(cut.closed()).as("records before the close are still unread").isFalse();
    assertThat(new String(p.records().get(0).partitionKey().getBytes(StandardCharsets.UTF_8),
        StandardCharsets.UTF_8)).isEqualTo("k");
  }

  /** A shard's tip: records 0..next-1, the last arrived at {@code lastArrival}. */
  private static ShardReply.Location tip(long next, long lastArrival) {
    return new ShardReply.Location(1, 0, next, lastArrival, 0);
  }

  @Test
  void millisBehindIsZeroOnlyAtTheTip() {
    // Arrivals stood still (a serving node's clock an hour ahead, then right again): the
    // page's last arrival equals the tip's, yet records follow.
    ShardPage frozen = ShardPage.cut(at(0, 1, 0), List.of(put(2, 0, 3_600_000, 3, 10)), 2,
        1 << 20);
    assertThat(frozen.millisBehind(tip(3, 3_600_000))).isPositive();
    // Every event read lies before the position (a coarse journal position): no record, no
    // arrival, and still not the tip.
    ShardPage skipped = ShardPage.cut(at(10, 1, 0), List.of(put(2, 0, 10, 3, 10)), 100,
        1 << 20);
    assertThat(skipped.records()).isEmpty();
    assertThat(skipped.millisBehind(tip(20, 50))).isPositive();
    ShardPage behind = ShardPage.cut(at(0, 1, 0), List.of(put(2, 0, 10, 3, 10)), 1, 1 << 20);
    assertThat(behind.millisBehind(tip(3, 500))).isEqualTo(490);
    ShardPage last = ShardPage.cut(at(0, 1, 0), List.of(put(2, 0, 10, 3, 10)), 100, 1 << 20);
    assertThat(last.millisBehind(tip(3, 10))).isZero();
  }

  @Test
  void aReadAsksTheJournalForAboutTheEventsItsRecordsNeed() {
    // 12,000 records in 1,000 events to the tip: 1,000 records are ~84 events (+16).
    var tip = new ShardReply.Location(1, 0, 12_000, 0, 0, 1_001);
    assertThat(tip.eventsFor(1, 0, 1_000, 16, 1_000)).isEqualTo(100);
    // One record per event: as many events as records, capped.
    var sparse = new ShardReply.Location(1, 0, 5_000, 0, 0, 5_001);
    assertThat(sparse.eventsFor(1, 0, 10_000, 16, 1_000)).isEqualTo(1_000);
    // At the tip, or without a journal tip (an older leader): the cap.
    assertThat(tip.eventsFor(1_001, 12_000, 1_000, 16, 1_000)).isEqualTo(1_000);
    assertThat(new ShardReply.Location(1, 0, 12_000, 0, 0).eventsFor(1, 0, 10, 16, 1_000))
        .isEqualTo(1_000);
    // A few records: at least the floor.
    assertThat(tip.eventsFor(1, 0, 1, 16, 1_000)).isEqualTo(17);
  }
}
