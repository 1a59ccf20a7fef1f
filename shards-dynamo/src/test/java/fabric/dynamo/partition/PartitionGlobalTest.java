package fabric.dynamo.partition;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.core.entity.EntityCommand;
import fabric.core.entity.Reply;
import fabric.core.testkit.EntityTestKit;
import fabric.dynamo.global.ReplicaWrite;
import fabric.dynamo.global.Version;
import fabric.dynamo.model.AttributeValue;
import fabric.dynamo.model.Item;
import fabric.dynamo.model.KeySchema;
import fabric.dynamo.model.PrimaryKey;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A global table's partition: local writes stamped and versioned, replicated writes by
 *  last writer wins (conditions ignored), the feed's writes, the copy pages. */
class PartitionGlobalTest {
  private static final ActorTestKit kit = EntityTestKit.actorTestKit("PartitionGlobalTest");
  private EventSourcedBehaviorTestKit<EntityCommand, PartitionEvent, PartitionState> partition;

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void init() {
    partition = EntityTestKit.entity(kit, new PartitionDefinition(),
        "111122223333/us-east-1/t/tid/p0");
    run(r -> new PartitionCommand.Init(new KeySchema("id", "S", null, null), List.of(), 0,
        "NEW_AND_OLD_IMAGES", 0, r));
  }

  private EventSourcedBehaviorTestKit.CommandResultWithReply<EntityCommand, PartitionEvent,
      PartitionState, Reply> result(Function<ActorRef<Reply>, EntityCommand> command) {
    return partition.runCommand(command::apply);
  }

  private Reply run(Function<ActorRef<Reply>, EntityCommand> command) {
    return result(command).reply();
  }

  private static AttributeValue s(String v) {
    return new AttributeValue.S(v);
  }

  private static PrimaryKey key(String id) {
    return PrimaryKey.of(s(id), null);
  }

  private static Item item(String id, String v) {
    return new Item(Map.of("id", s(id), "v", s(v)));
  }

  private String value(String id) {
    var got = (PartitionReply.ItemReply) run(r -> new PartitionCommand.Get(Map.of("id", s(id)),
        RequestExpressions.NONE, r));
    return got.item() == null ? null : ((AttributeValue.S) got.item().get("v")).value();
  }

  private void replicate(ReplicaWrite... writes) {
    assertThat(run(r -> new PartitionCommand.ApplyReplica(List.of(writes), r)))
        .isInstanceOf(PartitionReply.Done.class);
  }

  @Test
  void localAndReplicatedWritesByLastWriterWins() {
    // Before the table is global: no versions, and no replicated writes.
    run(r -> new PartitionCommand.Put(item("old", "pre-global"), RequestExpressions.NONE,
        false, 10, r));
    assertThat(partition.getState().global()).isNull();
    run(r -> new PartitionCommand.SetGlobal("us-east-1", List.of("eu-west-1"), r));
    assertThat(partition.getState().global().peers()).containsOnlyKeys("eu-west-1");

    // A replicated write from a region whose clock is ahead; a local write after it at an
    // earlier clock is stamped past it, so it wins here and everywhere.
    replicate(new ReplicaWrite(key("a"), item("a", "eu"), new Version(5_000, "eu-west-1")));
    var local = result(r -> new PartitionCommand.Put(item("a", "us"),
        RequestExpressions.NONE, false, 1_000, r));
    var put = (PartitionEvent.ItemPut) local.event();
    assertThat(put.atMillis()).isEqualTo(5_001);
    assertThat(partition.getState().global().version(key("a")))
        .isEqualTo(new Version(5_001, "us-east-1"));
    assertThat(PartitionGlobal.writes("us-east-1", put)).containsExactly(
        new ReplicaWrite(key("a"), item("a", "us"), new Version(5_001, "us-east-1")));

    // Older or equal: ignored (nothing persisted); a replicated write is not fed on.
    var older = result(r -> new PartitionCommand.ApplyReplica(List.of(new ReplicaWrite(
        key("a"), item("a", "stale"), new Version(5_000, "eu-west-1"))), r));
    assertThat(older.hasNoEvents()).isTrue();
    assertThat(value("a")).isEqualTo("us");
    var newer = result(r -> new PartitionCommand.ApplyReplica(List.of(new ReplicaWrite(
        key("a"), item("a", "eu2"), new Version(6_000, "eu-west-1"))), r));
    assertThat(value("a")).isEqualTo("eu2");
    assertThat(PartitionGlobal.writes("us-east-1", newer.event())).as("no ping-pong")
        .isEmpty();

    // A replicated delete leaves a tombstone; a late older put stays out.
    replicate(new ReplicaWrite(key("a"), null, new Version(7_000, "eu-west-1")));
    replicate(new ReplicaWrite(key("a"), item("a", "late"), new Version(6_500, "eu-west-1")));
    assertThat(value("a")).isNull();
    assertThat(partition.getState().global().deleted(key("a"))).isTrue();

    // The newest of a batch's writes to one key wins, whatever their order.
    replicate(new ReplicaWrite(key("b"), item("b", "2"), new Version(2_000, "eu-west-1")),
        new ReplicaWrite(key("b"), item("b", "1"), new Version(1_000, "eu-west-1")));
    assertThat(value("b")).isEqualTo("2");

    // The copy for a new replica: items with their versions (the pre-global one the oldest
    // this region gives), then tombstones.
    var page = (PartitionReply.ReplicaPage) run(r -> new PartitionCommand.ReplicaPage(false,
        null, 100, r));
    assertThat(page.lastKey()).isNull();
    assertThat(page.writes()).extracting(ReplicaWrite::version).contains(
        new Version(0, "us-east-1"), new Version(2_000, "eu-west-1"));
    var tombs = (PartitionReply.ReplicaPage) run(r -> new PartitionCommand.ReplicaPage(true,
        null, 100, r));
    assertThat(tombs.writes()).containsExactly(new ReplicaWrite(key("a"), null,
        new Version(7_000, "eu-west-1")));

    // The feed's cursor only moves forward; no peers: regional again.
    run(r -> new PartitionCommand.Shipped("eu-west-1", 40, r));
    assertThat(result(r -> new PartitionCommand.Shipped("eu-west-1", 30, r)).hasNoEvents())
        .isTrue();
    assertThat(partition.getState().global().peers()).containsEntry("eu-west-1", 40L);
    run(r -> new PartitionCommand.SetGlobal("us-east-1", List.of(), r));
    assertThat(partition.getState().global()).isNull();
  }

  @Test
  void replicatedWritesIgnoreConditionsAndLocksAreNotTheirs() {
    run(r -> new PartitionCommand.SetGlobal("us-east-1", List.of("eu-west-1"), r));
    run(r -> new PartitionCommand.PrepareTx("tx1", "Put", item("k", "tx"), null,
        RequestExpressions.NONE, 1_000, r));
    replicate(new ReplicaWrite(key("k"), item("k", "eu"), new Version(2_000, "eu-west-1")));
    assertThat(partition.getState().items().get(key("k"))).isEqualTo(item("k", "eu"));
    // The transaction commits after: stamped past the replicated version, it wins.
    var commit = result(r -> new PartitionCommand.CommitTx("tx1", 1_500, r));
    var committed = (PartitionEvent.TxCommitted) commit.event();
    assertThat(committed.atMillis()).isEqualTo(2_001);
    assertThat(partition.getState().items().get(key("k"))).isEqualTo(item("k", "tx"));
  }
}
