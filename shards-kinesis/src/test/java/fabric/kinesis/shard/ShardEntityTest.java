package fabric.kinesis.shard;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.core.entity.EntityCommand;
import fabric.core.entity.Rejected;
import fabric.core.entity.Reply;
import fabric.core.testkit.EntityTestKit;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A shard numbers records in arrival order, throttles, closes, trims and says where its
 *  records are in the journal. */
class ShardEntityTest {
  private static final ActorTestKit kit = EntityTestKit.actorTestKit("ShardEntityTest");
  private static final long T0 = 1_700_000_000_000L;
  private static final long HOUR = 3_600_000L;
  private EventSourcedBehaviorTestKit<EntityCommand, ShardEvent, ShardState> shard;

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void init() {
    shard = EntityTestKit.entity(kit, new ShardDefinition(),
        "111122223333/us-east-1/s/1700000000000/shardId-000000000000");
  }

  private Reply run(Function<ActorRef<Reply>, EntityCommand> command) {
    return shard.runCommand(command::apply).reply();
  }

  private void open(boolean enforceLimits) {
    assertThat(run(r -> new ShardCommand.Open("0", "340282366920938463463374607431768211455",
        null, null, 24, enforceLimits, T0, r))).isEqualTo(new ShardReply.Done());
  }

  private static List<ShardRecord> records(int n, int bytes) {
    List<ShardRecord> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new ShardRecord("k" + i, "x".repeat(bytes).getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }

  private ShardReply.Appended put(int n, int bytes, long atMillis) {
    return (ShardReply.Appended) run(r -> new ShardCommand.Put(records(n, bytes), atMillis, r));
  }

  private ShardReply.Location locate(long recordNumber, long timestampMillis) {
    return locate(recordNumber, timestampMillis, T0);
  }

  private ShardReply.Location locate(long recordNumber, long timestampMillis, long nowMillis) {
    return (ShardReply.Location) run(r -> new ShardCommand.Locate(recordNumber, timestampMillis,
        nowMillis, r));
  }

  @Test
  void recordsAreNumberedInArrivalOrderAndEachPutIsOneEvent() {
    open(true);
    assertThat(put(3, 10, T0)).isEqualTo(new ShardReply.Appended(0, 3));
    assertThat(put(2, 10, T0 + 5_000)).isEqualTo(new ShardReply.Appended(3, 2));
    var status = (ShardReply.Status) run(ShardCommand.Describe::new);
    assertThat(status.lastRecordNumber()).isEqualTo(4);
    assertThat(status.lastArrivalMillis()).isEqualTo(T0 + 5_000);
    // Journal: 1 Opened, 2 and 3 the puts; a checkpoint per 5 s of arrival.
    assertThat(locate(4, -1)).isEqualTo(new ShardReply.Location(3, 4, 5, T0 + 5_000, 0, 4));
    assertThat(locate(1, -1).journalFrom()).isEqualTo(2);
  }

  @Test
  void aShardOfLargeRecordsSnapshotsOftenerSoRecoveryReplaysAboutSixteenMib() {
    open(false);
    ShardDefinition definition = new ShardDefinition();
    put(10, 1, T0);
    assertThat(definition.snapshotEveryEvents(shard.getState())).isEqualTo(1_024);
    for (int i = 0; i < 8; i++) {
      put(1, 1000 * 1024, T0 + i);
    }
    // ~0.9 MB an event on average: 16 MiB is ~18 events, so every 16.
    assertThat(definition.snapshotEveryEvents(shard.getState())).isEqualTo(16);
  }

  @Test
  void aShardThatWasNeverOpenedIsNotFound() {
    Reply reply = run(r -> new ShardCommand.Put(records(1, 1), T0, r));
    assertThat(reply).isInstanceOfSatisfying(Rejected.class,
        r -> assertThat(r.error().code()).isEqualTo("ResourceNotFoundException"));
  }

  @Test
  void theWriteLimitsAdmitAThousandRecordsOrOneMibPerSecond() {
    open(true);
    assertThat(put(1_500, 10, T0).accepted()).isEqualTo(1_000);
    assertThat(put(1, 10, T0).accepted()).as("the bucket is empty").isZero();
    assertThat(put(1_000, 10, T0 + 500).accepted()).as("half a second refills half")
        .isEqualTo(500);
    assertThat(put(2, 600 * 1024, T0 + 10_000).accepted()).as("1 MiB a second").isEqualTo(1);
  }

  @Test
  void theWriteLimitsRefillAgainOnceTheClockWentBack() {
    // A leader whose clock was an hour ahead, then one whose clock is right (the clock-skew
    // drill): arrivals stand still at the hour ahead, the limits must not.
    open(true);
    assertThat(put(1_000, 10, T0 + HOUR).accepted()).isEqualTo(1_000);
    assertThat(put(1, 10, T0 + HOUR).accepted()).as("the bucket is empty").isZero();
    assertThat(put(1_000, 10, T0).accepted()).as("the clock went back: full again")
        .isEqualTo(1_000);
    assertThat(put(1_000, 10, T0 + 500).accepted()).as("half a second refills half")
        .isEqualTo(500);
    assertThat(put(1, 10, T0 + 200).accepted()).as("a clock a little behind refills nothing")
        .isZero();
    assertThat(put(1_000, 10, T0 + 1_500).accepted()).isEqualTo(1_000);
    assertThat(((ShardReply.Status) run(ShardCommand.Describe::new)).lastArrivalMillis())
        .as("arrivals never go back").isEqualTo(T0 + HOUR);
  }

  @Test
  void withoutLimitsEveryRecordIsAdmitted() {
    open(false);
    assertThat(put(5_000, 10, T0).accepted()).isEqualTo(5_000);
  }

  @Test
  void aClosedShardTakesNoMoreRecords() {
    open(true);
    put(2, 10, T0);
    assertThat(run(r -> new ShardCommand.Close(T0 + 1, r)))
        .isEqualTo(new ShardReply.ShardClosed(1));
    assertThat(run(r -> new ShardCommand.Put(records(1, 1), T0 + 2, r)))
        .isEqualTo(new ShardReply.ShardClosed(1));
    assertThat(((ShardReply.Status) run(ShardCommand.Describe::new)).closedAtMillis())
        .isEqualTo(T0 + 1);
  }

  @Test
  void arrivalTimesNeverGoBackEvenWhenTheClockDoes() {
    open(false);
    put(1, 1, T0 + 5_000);
    put(1, 1, T0 + 3_000);
    assertThat(((ShardReply.Status) run(ShardCommand.Describe::new)).lastArrivalMillis())
        .isEqualTo(T0 + 5_000);
  }

  @Test
  void recordsPastRetentionAreTrimmedAtTheIndexGranularity() {
    open(false);
    put(1, 1, T0);               // record 0
    put(1, 1, T0 + 1_000);       // record 1, in record 0's checkpoint
    put(1, 1, T0 + 10_000);      // record 2
    put(1, 1, T0 + 25 * HOUR);   // record 3
    ShardDefinition definition = new ShardDefinition();
    // 24 h after record 0 but before record 1: record 0 shares a checkpoint with a younger
    // record, so it stays (kept too long, never too short).
    assertThat(definition.tick(shard.getState(), T0 + 24 * HOUR + 500, null)).isNull();
    // Past both, however long before record 2 (the next checkpoint) that is.
    long later = T0 + 24 * HOUR + 1_500;
    assertThat(definition.tick(shard.getState(), later, null))
        .isInstanceOf(ShardCommand.Trim.class);
    run(r -> new ShardCommand.Trim(later, r));
    assertThat(shard.getState().firstKeptRecordNumber()).isEqualTo(2);
    assertThat(locate(0, -1).fromRecordNumber()).as("a reader of a trimmed record starts at "
        + "the first kept").isEqualTo(2);
    // Before any trim reaches them (a shard that slept), readers already start past the
    // records expired at their clock: at T0 + 25 h record 2 (arrived at T0 + 10 s) has, 3
    // (arrived then) has not.
    assertThat(locate(0, -1, T0 + 25 * HOUR).fromRecordNumber()).isEqualTo(3);
    assertThat(locate(0, T0, T0 + 25 * HOUR).fromRecordNumber())
        .as("AT_TIMESTAMP before the horizon").isEqualTo(3);
    assertThat(locate(0, -1, T0 + 50 * HOUR).fromRecordNumber()).as("all expired: the tip")
        .isEqualTo(4);
    assertThat(shard.getState().firstKeptRecordNumber()).as("reads trim nothing").isEqualTo(2);
    run(r -> new ShardCommand.Trim(T0 + 50 * HOUR, r));
    assertThat(shard.getState().firstKeptRecordNumber()).as("all expired").isEqualTo(4);
  }

  @Test
  void theJournalBeforeTheFirstKeptRecordsCheckpointMayGoAndEveryTrimSnapshots() {
    open(false);
    ShardDefinition definition = new ShardDefinition();
    put(1, 1, T0);               // record 0 at journal 2
    put(1, 1, T0 + 1_000);       // record 1 at journal 3, same checkpoint
    put(1, 1, T0 + 10_000);      // record 2 at journal 4, a checkpoint
    put(1, 1, T0 + 20_000);      // record 3 at journal 5, a checkpoint
    assertThat(definition.journalDeletableUpTo(shard.getState())).as("nothing trimmed")
        .isZero();
    run(r -> new ShardCommand.Trim(T0 + 24 * HOUR + 5_000, r)); // records 0..1 expired
    assertThat(shard.getState().firstKeptRecordNumber()).isEqualTo(2);
    assertThat(definition.journalDeletableUpTo(shard.getState()))
        .as("the events before record 2's checkpoint").isEqualTo(3);
    assertThat(definition.snapshotAfter(shard.getState(), new ShardEvent.Trimmed(2))).isTrue();
    assertThat(definition.snapshotAfter(shard.getState(), new ShardEvent.Closed(3, T0)))
        .isFalse();
    run(r -> new ShardCommand.Trim(T0 + 50 * HOUR, r)); // all expired (journal 7)
    assertThat(definition.journalDeletableUpTo(shard.getState()))
        .as("every event applied").isEqualTo(7);
    // A reader of the first kept record never starts below what may go.
    put(1, 1, T0 + 50 * HOUR);   // record 4 at journal 8
    assertThat(locate(0, -1).journalFrom())
        .isGreaterThan(definition.journalDeletableUpTo(shard.getState()));
  }

  @Test
  void aDeletedShardAnswersNothingAndItsWholeJournalMayGo() {
    open(false);
    put(2, 1, T0);
    ShardDefinition definition = new ShardDefinition();
    assertThat(run(ShardCommand.Delete::new)).isEqualTo(new ShardReply.Done());
    assertThat(definition.journalDeletableUpTo(shard.getState())).isEqualTo(Long.MAX_VALUE);
    assertThat(definition.tick(shard.getState(), T0 + 100 * HOUR, null)).isNull();
    assertThat(run(ShardCommand.Describe::new)).isInstanceOfSatisfying(Rejected.class,
        r -> assertThat(r.error().code()).isEqualTo("ResourceNotFoundException"));
    assertThat(run(ShardCommand.Delete::new)).as("again").isEqualTo(new ShardReply.Done());
  }

  @Test
  void aTimestampLocatesTheLastCheckpointBeforeIt() {
    open(false);
    put(2, 1, T0);          // records 0, 1 at journal 2
    put(2, 1, T0 + 5_000);  // records 2, 3 at journal 3
    put(2, 1, T0 + 10_000); // records 4, 5 at journal 4
    assertThat(locate(0, T0 + 7_000)).isEqualTo(new ShardReply.Location(3, 2, 6,
        T0 + 10_000, 0, 5));
    assertThat(locate(0, T0 - 1).journalFrom()).isEqualTo(2);
  }
}
