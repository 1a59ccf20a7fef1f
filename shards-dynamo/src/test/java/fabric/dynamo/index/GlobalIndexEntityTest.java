package fabric.dynamo.index;

import static fabric.dynamo.index.IndexChangesTest.BY_CITY;
import static fabric.dynamo.index.IndexChangesTest.TABLE;
import static fabric.dynamo.index.IndexChangesTest.item;
import static fabric.dynamo.index.IndexChangesTest.key;
import static fabric.dynamo.index.IndexChangesTest.n;
import static fabric.dynamo.index.IndexChangesTest.s;
import static org.assertj.core.api.Assertions.assertThat;

import fabric.core.entity.EntityCommand;
import fabric.core.entity.Rejected;
import fabric.core.entity.Reply;
import fabric.core.testkit.EntityTestKit;
import fabric.dynamo.model.AttributeValue;
import fabric.dynamo.model.Item;
import fabric.dynamo.model.PrimaryKey;
import fabric.dynamo.partition.PartitionEvent;
import fabric.dynamo.partition.PartitionReply;
import fabric.dynamo.partition.RequestExpressions;
import fabric.dynamo.table.IndexSpec;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A global index entity driven by hand (no feeder): cursors per partition, stale reads
 * ignored, a split's children replacing their parent, CREATING until read up, and Query
 * order (index key, then the table key: index keys need not be unique).
 */
class GlobalIndexEntityTest {
  private static final ActorTestKit kit = EntityTestKit.actorTestKit("GlobalIndexEntityTest");
  private static final IndexSpec SPEC = new IndexSpec("byCity", BY_CITY, "ALL", List.of(), 0,
      0);
  private static final List<IndexCommand.BasePartition> ONE = List.of(
      new IndexCommand.BasePartition("p0", Long.MIN_VALUE, Long.MAX_VALUE));
  private EventSourcedBehaviorTestKit<EntityCommand, IndexEvent, IndexState> index;

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void fresh() {
    index = EntityTestKit.entity(kit, new GlobalIndexDefinition(null), "111122223333/t/tid/byCity");
  }

  private Reply run(Function<ActorRef<Reply>, EntityCommand> command) {
    return index.runCommand(command::apply).reply();
  }

  private static PartitionEvent put(String pk, String city, long age) {
    return new PartitionEvent.ItemPut(key(pk), item("pk", s(pk), "city", s(city), "age",
        n(age)), null, 1, 0);
  }

  private Reply apply(List<IndexCommand.BasePartition> map, boolean caughtUp,
      IndexCommand.Batch... batches) {
    return run(r -> new IndexCommand.Apply(List.of(batches), map, caughtUp, r));
  }

  private IndexReply.Status status() {
    return (IndexReply.Status) run(IndexCommand.Status::new);
  }

  private List<String> query(String city, boolean forward, int limit) {
    var page = (PartitionReply.Page) run(r -> new IndexCommand.Query(
        new RequestExpressions(null, null, null, null, "city = :c", null,
            Map.of(":c", s(city))), forward, null, limit, 1 << 20, r));
    return page.items().stream().map(i -> ((AttributeValue.S) i.get("pk")).value()).toList();
  }

  @Test
  void entriesFollowPutsAndDeletesInIndexThenTableKeyOrder() {
    run(r -> new IndexCommand.Init(SPEC, TABLE, false, r));
    assertThat(status().status()).isEqualTo("ACTIVE");
    apply(ONE, true, new IndexCommand.Batch("p0", 1, 5, List.of(put("c", "Oslo", 30),
        put("a", "Oslo", 30), put("b", "Oslo", 20), put("d", "Rome", 1)), true));
    // Equal index keys (a and c, both 30) in the table's key order: partition-key token
    // first, and c's token is below a's.
    assertThat(PrimaryKey.ORDER.compare(key("c"), key("a"))).isNegative();
    assertThat(query("Oslo", true, 10)).containsExactly("b", "c", "a");
    assertThat(query("Oslo", false, 10)).containsExactly("a", "c", "b");
    assertThat(query("Oslo", true, 2)).containsExactly("b", "c");
    // a moves to Rome, b loses its age (out of the index), c is deleted
    apply(ONE, true, new IndexCommand.Batch("p0", 5, 8, List.of(put("a", "Rome", 5),
        new PartitionEvent.ItemPut(key("b"), item("pk", s("b"), "city", s("Oslo")), null, 1,
            0), new PartitionEvent.ItemDeleted(key("c"), null, 1, 0)), true));
    assertThat(query("Oslo", true, 10)).isEmpty();
    assertThat(query("Rome", true, 10)).containsExactly("d", "a");
    assertThat(status().itemCount()).isEqualTo(2);
    assertThat(status().cursors()).containsEntry("p0", 8L);
  }

  @Test
  void aReadFromAStaleCursorChangesNothing() {
    run(r -> new IndexCommand.Init(SPEC, TABLE, false, r));
    apply(ONE, true, new IndexCommand.Batch("p0", 1, 2, List.of(put("a", "Oslo", 1)), true));
    apply(ONE, true, new IndexCommand.Batch("p0", 1, 2, List.of(put("a", "Rome", 1)), true));
    assertThat(query("Oslo", true, 10)).containsExactly("a");
    assertThat(status().cursors()).containsEntry("p0", 2L);
  }

  @Test
  void aBackfillIsCreatingUntilEveryPartitionIsReadToItsEnd() {
    run(r -> new IndexCommand.Init(SPEC, TABLE, true, r));
    assertThat(status().status()).isEqualTo("CREATING");
    assertThat(run(r -> new IndexCommand.Query(new RequestExpressions(null, null, null, null,
        "city = :c", null, Map.of(":c", s("Oslo"))), true, null, 10, 1 << 20, r)))
        .isInstanceOfSatisfying(Rejected.class, rj -> assertThat(rj.error().message())
            .contains("backfilling"));
    apply(ONE, false, new IndexCommand.Batch("p0", 1, 2, List.of(put("a", "Oslo", 1)),
        false));
    assertThat(status().status()).isEqualTo("CREATING");
    apply(ONE, true, new IndexCommand.Batch("p0", 2, 3, List.of(put("b", "Oslo", 2)), true));
    assertThat(status().status()).isEqualTo("ACTIVE");
    assertThat(query("Oslo", true, 10)).containsExactly("a", "b");
  }

  @Test
  void aSplitsChildrenReplaceTheParentAndResetTheirRanges() {
    run(r -> new IndexCommand.Init(SPEC, TABLE, false, r));
    apply(ONE, true, new IndexCommand.Batch("p0", 1, 4, List.of(put("a", "Oslo", 1),
        put("b", "Oslo", 2), put("c", "Oslo", 3)), true));
    // The parent deleted b after the index's last read, then split: its children's Loaded
    // events carry what the parent held at the freeze (a and c, not b).
    long mid = 0;
    List<IndexCommand.BasePartition> children = List.of(
        new IndexCommand.BasePartition("p0a", Long.MIN_VALUE, mid - 1),
        new IndexCommand.BasePartition("p0b", mid, Long.MAX_VALUE));
    Item a = item("pk", s("a"), "city", s("Oslo"), "age", n(1));
    Item c = item("pk", s("c"), "city", s("Oslo"), "age", n(3));
    List<Item> low = new java.util.ArrayList<>();
    List<Item> high = new java.util.ArrayList<>();
    for (Item i : List.of(a, c)) {
      (PrimaryKey.token(i.get("pk")) < mid ? low : high).add(i);
    }
    apply(children, true,
        new IndexCommand.Batch("p0a", 1, 3, List.of(new PartitionEvent.Loaded(low)), true),
        new IndexCommand.Batch("p0b", 1, 3, List.of(new PartitionEvent.Loaded(high)), true));
    assertThat(query("Oslo", true, 10)).containsExactly("a", "c");
    assertThat(status().cursors()).containsOnlyKeys("p0a", "p0b");
    // A read made with the map from before the split changes nothing.
    apply(ONE, true, new IndexCommand.Batch("p0", 1, 9, List.of(put("z", "Oslo", 9)), true));
    assertThat(query("Oslo", true, 10)).containsExactly("a", "c");
    assertThat(status().cursors()).containsOnlyKeys("p0a", "p0b");
  }

  @Test
  void theIndexSurvivesARestart() {
    run(r -> new IndexCommand.Init(SPEC, TABLE, false, r));
    apply(ONE, true, new IndexCommand.Batch("p0", 1, 3, List.of(put("a", "Oslo", 1),
        put("b", "Oslo", 1)), true));
    index.restart();
    assertThat(PrimaryKey.ORDER.compare(key("b"), key("a"))).isNegative();
    assertThat(query("Oslo", true, 10)).containsExactly("b", "a");
    run(r -> new IndexCommand.Drop(r));
    assertThat(status().status()).isNull();
  }

  private PartitionReply.Page page(String condition, Map<String, AttributeValue> values,
      boolean forward, Map<String, AttributeValue> start, int limit) {
    return (PartitionReply.Page) run(r -> new IndexCommand.Query(new RequestExpressions(null,
        null, null, null, condition, null, values), forward, start, limit, 1 << 20, r));
  }

  private static List<String> pks(PartitionReply.Page page) {
    return page.items().stream().map(i -> ((AttributeValue.S) i.get("pk")).value()).toList();
  }

  @Test
  void sortKeyConditionsBothWaysAndPagesThatResumeAfterTheirLastKey() {
    run(r -> new IndexCommand.Init(SPEC, TABLE, false, r));
    apply(ONE, true, new IndexCommand.Batch("p0", 1, 8, List.of(put("a", "Oslo", 10),
        put("b", "Oslo", 20), put("c", "Oslo", 20), put("d", "Oslo", 30), put("e", "Oslo", 40),
        put("f", "Rome", 20), put("g", "Bergen", 20)), true));
    Map<String, AttributeValue> between = Map.of(":c", s("Oslo"), ":lo", n(20), ":hi", n(30));
    String cond = "city = :c AND age BETWEEN :lo AND :hi";
    // b and c share age 20: table key order (token) decides between them.
    List<String> twenties = PrimaryKey.ORDER.compare(key("b"), key("c")) < 0
        ? List.of("b", "c") : List.of("c", "b");
    List<String> up = new java.util.ArrayList<>(twenties);
    up.add("d");
    assertThat(pks(page(cond, between, true, null, 10))).containsExactlyElementsOf(up);
    List<String> down = new java.util.ArrayList<>(up);
    java.util.Collections.reverse(down);
    assertThat(pks(page(cond, between, false, null, 10))).containsExactlyElementsOf(down);
    assertThat(pks(page("city = :c AND age <= :hi", Map.of(":c", s("Oslo"), ":hi", n(20)),
        false, null, 10))).containsExactlyElementsOf(List.of(down.get(1), down.get(2), "a"));
    // Pages of one: each LastEvaluatedKey (table and index keys) resumes after its entry.
    List<String> paged = new java.util.ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      PartitionReply.Page p = page(cond, between, true, start, 1);
      paged.addAll(pks(p));
      start = p.lastKey();
      if (start != null) {
        assertThat(start).containsOnlyKeys("pk", "city", "age");
      }
    } while (start != null);
    assertThat(paged).containsExactlyElementsOf(up);
  }
}
