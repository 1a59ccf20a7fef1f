package fabric.kinesis.stream;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.core.entity.EntityCommand;
import fabric.core.entity.Rejected;
import fabric.core.entity.Reply;
import fabric.core.testkit.EntityTestKit;
import fabric.kinesis.model.HashKeys;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A stream's control plane: creation, retention, reshards with lineage, consumers, tags. */
class StreamEntityTest {
  private static final ActorTestKit kit = EntityTestKit.actorTestKit("StreamEntityTest");
  private static final long T0 = 1_700_000_000_000L;
  private EventSourcedBehaviorTestKit<EntityCommand, StreamEvent, StreamState> stream;

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void init() {
    stream = EntityTestKit.entity(kit, new StreamDefinition(5),
        "111122223333/us-east-1/orders");
  }

  private Reply run(Function<ActorRef<Reply>, EntityCommand> command) {
    return stream.runCommand(command::apply).reply();
  }

  private StreamState ok(Function<ActorRef<Reply>, EntityCommand> command) {
    Reply reply = run(command);
    assertThat(reply).isInstanceOf(StreamReply.Description.class);
    return ((StreamReply.Description) reply).stream();
  }

  private static void refused(Reply reply, String code, String message) {
    assertThat(reply).isInstanceOfSatisfying(Rejected.class, r -> {
      assertThat(r.error().code()).isEqualTo(code);
      assertThat(r.error().message()).contains(message);
    });
  }

  private StreamState active(int shards) {
    ok(r -> new StreamCommand.Create("arn", "PROVISIONED", shards, Map.of(), T0, r));
    return ok(r -> new StreamCommand.Activate(T0, r));
  }

  @Test
  void aNewStreamHasEvenShardsAndIsActiveOnceActivated() {
    StreamState created = ok(r -> new StreamCommand.Create("arn", null, 3, Map.of("team",
        "a"), T0, r));
    assertThat(created.status()).isEqualTo("CREATING");
    assertThat(created.mode()).isEqualTo("PROVISIONED");
    assertThat(created.retentionHours()).isEqualTo(24);
    assertThat(created.shards()).extracting(StreamShard::shardId).containsExactly(
        "shardId-000000000000", "shardId-000000000001", "shardId-000000000002");
    assertThat(created.shards().get(2).endingHashKey()).isEqualTo(HashKeys.MAX.toString());
    assertThat(ok(r -> new StreamCommand.Activate(T0, r)).status()).isEqualTo("ACTIVE");
    refused(run(r -> new StreamCommand.Create("arn", null, 1, Map.of(), T0, r)),
        "ResourceInUseException", "already exists");
  }

  @Test
  void onDemandStartsWithFourShardsAndCountsAreChecked() {
    assertThat(ok(r -> new StreamCommand.Create("arn", "ON_DEMAND", 0, Map.of(), T0, r))
        .shards()).hasSize(4);
    stream.clear();
    refused(run(r -> new StreamCommand.Create("arn", "PROVISIONED", 0, Map.of(), T0, r)),
        "ValidationException", "greater than or equal to 1");
    refused(run(r -> new StreamCommand.Create("arn", "PROVISIONED", 6, Map.of(), T0, r)),
        "LimitExceededException", "shard limit");
    refused(run(r -> new StreamCommand.Create("arn", "SOMETIMES", 1, Map.of(), T0, r)),
        "ValidationException", "[PROVISIONED, ON_DEMAND]");
  }

  @Test
  void aStreamThatDoesNotExistIsNotFound() {
    refused(run(StreamCommand.Describe::new), "ResourceNotFoundException",
        "Stream orders under account 111122223333 not found.");
  }

  @Test
  void retentionGoesUpWithIncreaseAndDownWithDecreaseWithin24HoursAndAYear() {
    active(1);
    assertThat(ok(r -> new StreamCommand.SetRetention(48, true, r)).retentionHours())
        .isEqualTo(48);
    refused(run(r -> new StreamCommand.SetRetention(24, true, r)), "InvalidArgumentException",
        "can not be shorter");
    refused(run(r -> new StreamCommand.SetRetention(8_761, true, r)),
        "InvalidArgumentException", "8760");
    assertThat(ok(r -> new StreamCommand.SetRetention(24, false, r)).retentionHours())
        .isEqualTo(24);
  }

  @Test
  void aSplitOpensTwoChildrenThatHalveTheParentAndEndsWhenTheParentClosed() {
    StreamState before = active(1);
    BigInteger mid = BigInteger.ONE.shiftLeft(127);
    StreamState updating = ok(r -> new StreamCommand.Split("shardId-000000000000",
        mid.toString(), T0 + 1, r));
    assertThat(updating.status()).isEqualTo("UPDATING");
    StreamShard low = updating.shard("shardId-000000000001");
    StreamShard high = updating.shard("shardId-000000000002");
    assertThat(low.parentShardId()).isEqualTo("shardId-000000000000");
    assertThat(low.startingHashKey()).isEqualTo(before.shards().get(0).startingHashKey());
    assertThat(low.endingHashKey()).isEqualTo(mid.subtract(BigInteger.ONE).toString());
    assertThat(high.startingHashKey()).isEqualTo(mid.toString());
    refused(run(r -> new StreamCommand.Split("shardId-000000000001", "5", T0 + 2, r)),
        "ResourceInUseException", "not ACTIVE, instead in state UPDATING");
    StreamState done = ok(r -> new StreamCommand.ShardClosed("shardId-000000000000", 41,
        T0 + 3, r));
    assertThat(done.status()).isEqualTo("ACTIVE");
    assertThat(done.shard("shardId-000000000000").endingRecordNumber()).isEqualTo(41);
    assertThat(done.openShardCount()).isEqualTo(2);
    assertThat(ok(r -> new StreamCommand.ShardClosed("shardId-000000000000", 41, T0 + 4, r)))
        .as("a retried step changes nothing").isEqualTo(done);
  }

  @Test
  void aSplitKeyMustFallInsideTheParentAndAClosedShardCannotSplitAgain() {
    active(2);
    String secondStart = HashKeys.uniform(2).get(1).start().toString();
    refused(run(r -> new StreamCommand.Split("shardId-000000000001", secondStart, T0, r)),
        "InvalidArgumentException", "must be greater than");
    refused(run(r -> new StreamCommand.Split("shardId-000000000009", "5", T0, r)),
        "ResourceNotFoundException", "Could not find shard");
    ok(r -> new StreamCommand.Split("shardId-000000000000", "5", T0, r));
    ok(r -> new StreamCommand.ShardClosed("shardId-000000000000", -1, T0, r));
    refused(run(r -> new StreamCommand.Split("shardId-000000000000", "3", T0, r)),
        "ResourceInUseException", "already been merged or split");
  }

  @Test
  void aMergeNeedsAdjacentShardsAndNamesBothParents() {
    active(3);
    refused(run(r -> new StreamCommand.Merge("shardId-000000000000", "shardId-000000000002",
        T0, r)), "InvalidArgumentException", "not an adjacent pair");
    StreamState merging = ok(r -> new StreamCommand.Merge("shardId-000000000002",
        "shardId-000000000001", T0, r));
    StreamShard child = merging.shard("shardId-000000000003");
    assertThat(child.parentShardId()).isEqualTo("shardId-000000000002");
    assertThat(child.adjacentParentShardId()).isEqualTo("shardId-000000000001");
    assertThat(child.startingHashKey()).isEqualTo(merging.shard("shardId-000000000001")
        .startingHashKey());
    assertThat(child.endingHashKey()).isEqualTo(HashKeys.MAX.toString());
    assertThat(ok(r -> new StreamCommand.ShardClosed("shardId-000000000001", 3, T0, r))
        .status()).as("one parent closed").isEqualTo("UPDATING");
    assertThat(ok(r -> new StreamCommand.ShardClosed("shardId-000000000002", 7, T0, r))
        .status()).isEqualTo("ACTIVE");
  }

  @Test
  void closedShardsLeaveTheListingOnceTheirRecordsExpired() {
    active(1);
    ok(r -> new StreamCommand.Split("shardId-000000000000", "5", T0, r));
    ok(r -> new StreamCommand.ShardClosed("shardId-000000000000", 10, T0, r));
    StreamDefinition definition = new StreamDefinition(5);
    assertThat(definition.tick(stream.getState(), T0 + 23 * 3_600_000L, null)).isNull();
    long later = T0 + 25 * 3_600_000L;
    assertThat(definition.tick(stream.getState(), later, null))
        .isInstanceOf(StreamCommand.ExpireShards.class);
    assertThat(ok(r -> new StreamCommand.ExpireShards(later, r)).shards())
        .extracting(StreamShard::shardId)
        .containsExactly("shardId-000000000001", "shardId-000000000002");
  }

  @Test
  void consumersAreUniqueAtMostTwentyAndBlockADeleteUnlessEnforced() {
    active(1);
    for (int i = 0; i < 20; i++) {
      String name = "c" + i;
      ok(r -> new StreamCommand.RegisterConsumer(name, "arn/" + name, T0, r));
    }
    refused(run(r -> new StreamCommand.RegisterConsumer("c0", "arn", T0, r)),
        "ResourceInUseException", "already exists");
    refused(run(r -> new StreamCommand.RegisterConsumer("c20", "arn", T0, r)),
        "LimitExceededException", "20");
    assertThat(StreamDefinition.consumer(ok(r -> new StreamCommand.ActivateConsumer("c3", r)),
        "c3").status()).isEqualTo("ACTIVE");
    refused(run(r -> new StreamCommand.Delete(false, T0, r)), "ResourceInUseException",
        "registered consumers");
    ok(r -> new StreamCommand.Delete(true, T0, r));
    refused(run(StreamCommand.Describe::new), "ResourceNotFoundException", "not found");
  }

  @Test
  void aStreamHoldsAtMostFiftyTags() {
    active(1);
    Map<String, String> tags = new HashMap<>();
    for (int i = 0; i < 50; i++) {
      tags.put("k" + i, "v");
    }
    assertThat(ok(r -> new StreamCommand.Tag(tags, r)).tags()).hasSize(50);
    refused(run(r -> new StreamCommand.Tag(Map.of("one-more", "v"), r)),
        "LimitExceededException", "at most 50 tags");
    assertThat(ok(r -> new StreamCommand.Untag(List.of("k1", "nope"), r)).tags()).hasSize(49);
  }

  @Test
  void updateShardCountIsLimitedToTenCallsPerRolling24HoursAcrossRecovery() {
    active(1);
    long minute = 60_000L;
    for (int i = 0; i < 10; i++) {
      long at = T0 + i * minute;
      assertThat(ok(r -> new StreamCommand.StartScaling(at, r)).scalings()).hasSize(i + 1);
    }
    refused(run(r -> new StreamCommand.StartScaling(T0 + 11 * minute, r)),
        "LimitExceededException", "10 times in the last 24 hours");
    stream.restart(); // the window is in the journal, not only in memory
    long day = 24 * 60 * minute;
    refused(run(r -> new StreamCommand.StartScaling(T0 + day - 1, r)),
        "LimitExceededException", "10 times");
    // 24 hours after the first call, one slot is free again; the list keeps only the window.
    StreamState again = ok(r -> new StreamCommand.StartScaling(T0 + day, r));
    assertThat(again.scalings()).hasSize(10).doesNotContain(T0);
    refused(run(r -> new StreamCommand.StartScaling(T0 + day + 1, r)),
        "LimitExceededException", "10 times");
  }
}
