package fabric.dynamo.partition;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.core.entity.Rejected;
import fabric.core.entity.Reply;
import fabric.core.entity.ResourceEntity;
import fabric.core.testkit.EntityTestKit;
import fabric.dynamo.model.AttributeValue;
import fabric.dynamo.model.Item;
import fabric.dynamo.model.KeySchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The seed's concurrency rules, on a partition leader with its group-commit front (writes
 * that arrive together are decided one after the other, then written together): N
 * concurrent ADDs give exactly N, a conditional-write race has one winner, and optimistic
 * locking on a version attribute lets exactly one of two writers of a version through.
 */
class PartitionConcurrencyTest {
  private static final ActorTestKit kit = EntityTestKit.actorTestKit("PartitionConcurrency");
  private static final Map<String, AttributeValue> KEY =
      Map.of("pk", new AttributeValue.S("counter"));

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  private static ActorRef<PartitionCommand> partition(String id) {
    ActorRef<PartitionCommand> p = kit.spawn(ResourceEntity.leader(new PartitionDefinition(),
        id, EntityTestKit.LOCATION));
    TestProbe<Reply> probe = kit.createTestProbe();
    p.tell(new PartitionCommand.Init(new KeySchema("pk", "S", null, null), List.of(), 0, null,
        0,
        probe.getRef()));
    probe.receiveMessage(Duration.ofSeconds(15));
    return p;
  }

  private static RequestExpressions expr(String condition, String update,
      Map<String, AttributeValue> values) {
    return new RequestExpressions(condition, update, null, null, null, null, values);
  }

  private static AttributeValue n(String v) {
    return AttributeValue.N.of(v);
  }

  @Test
  void concurrentAddsGiveExactlyTheirSum() {
    ActorRef<PartitionCommand> p = partition("acct/t/tid/adds");
    TestProbe<Reply> replies = kit.createTestProbe();
    int writers = 200;
    for (int i = 0; i < writers; i++) {
      p.tell(new PartitionCommand.Update(KEY, expr(null, "ADD hits :one",
          Map.of(":one", n("1"))), "NONE", i, replies.getRef()));
    }
    assertThat(replies.receiveSeveralMessages(writers, Duration.ofSeconds(30)))
        .allMatch(r -> r instanceof PartitionReply.ItemReply);
    p.tell(new PartitionCommand.Get(KEY, RequestExpressions.NONE, replies.getRef()));
    var item = ((PartitionReply.ItemReply) replies.receiveMessage()).item();
    assertThat(item.get("hits")).isEqualTo(n(Integer.toString(writers)));
  }

  @Test
  void aConditionalCreateRaceHasExactlyOneWinner() {
    ActorRef<PartitionCommand> p = partition("acct/t/tid/race");
    TestProbe<Reply> replies = kit.createTestProbe();
    int racers = 50;
    for (int i = 0; i < racers; i++) {
      p.tell(new PartitionCommand.Put(new Item(Map.of("pk", new AttributeValue.S("counter"),
          "owner", n(Integer.toString(i)))), expr("attribute_not_exists(pk)", null, null),
          false, i, replies.getRef()));
    }
    List<Reply> all = replies.receiveSeveralMessages(racers, Duration.ofSeconds(30));
    assertThat(all.stream().filter(r -> r instanceof PartitionReply.ItemReply)).hasSize(1);
    assertThat(all.stream().filter(r -> r instanceof Rejected rej
        && rej.error().code().equals("ConditionalCheckFailedException"))).hasSize(racers - 1);
  }

  @Test
  void optimisticLockingLetsOneWriterOfAVersionThrough() {
    ActorRef<PartitionCommand> p = partition("acct/t/tid/lock");
    TestProbe<Reply> replies = kit.createTestProbe();
    p.tell(new PartitionCommand.Put(new Item(Map.of("pk", new AttributeValue.S("counter"),
        "version", n("1"), "v", new AttributeValue.S("a"))), RequestExpressions.NONE, false, 0,
        replies.getRef()));
    replies.receiveMessage();
    // Both read version 1, both try to write version 2.
    for (String value : new String[] {"b", "c"}) {
      p.tell(new PartitionCommand.Update(KEY, expr("version = :seen",
          "SET v = :v, version = :next", Map.of(":seen", n("1"), ":next", n("2"),
              ":v", new AttributeValue.S(value))), "NONE", 1, replies.getRef()));
    }
    List<Reply> both = replies.receiveSeveralMessages(2, Duration.ofSeconds(15));
    assertThat(both.get(0)).isInstanceOf(PartitionReply.ItemReply.class);
    assertThat(both.get(1)).isInstanceOfSatisfying(Rejected.class,
        r -> assertThat(r.error().code()).isEqualTo("ConditionalCheckFailedException"));
    p.tell(new PartitionCommand.Get(KEY, RequestExpressions.NONE, replies.getRef()));
    var item = ((PartitionReply.ItemReply) replies.receiveMessage()).item();
    assertThat(item.get("v")).isEqualTo(new AttributeValue.S("b"));
    assertThat(item.get("version")).isEqualTo(n("2"));
  }
}
