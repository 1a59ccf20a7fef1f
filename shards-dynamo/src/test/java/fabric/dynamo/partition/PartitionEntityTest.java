package fabric.dynamo.partition;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.core.entity.EntityCommand;
import fabric.core.entity.Rejected;
import fabric.core.entity.Reply;
import fabric.core.testkit.EntityTestKit;
import fabric.dynamo.model.AttributeValue;
import fabric.dynamo.model.Item;
import fabric.dynamo.model.KeySchema;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Items in a partition: put, get, delete, keys checked as DynamoDB checks them, order. */
class PartitionEntityTest {
  private static final ActorTestKit kit = EntityTestKit.actorTestKit("PartitionEntityTest");
  private EventSourcedBehaviorTestKit<EntityCommand, PartitionEvent, PartitionState> partition;

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void init() {
    partition = EntityTestKit.entity(kit, new PartitionDefinition(), "111122223333/t/tid/p0");
    run(r -> new PartitionCommand.Init(new KeySchema("pk", "S", "sk", "N"), java.util.List.of(), 0,
        null, 0, r));
  }

  private Reply run(Function<ActorRef<Reply>, EntityCommand> command) {
    return partition.runCommand(command::apply).reply();
  }

  private static AttributeValue s(String v) {
    return new AttributeValue.S(v);
  }

  private static AttributeValue n(String v) {
    return AttributeValue.N.of(v);
  }

  private static void rejected(Reply reply, String message) {
    assertThat(reply).isInstanceOfSatisfying(Rejected.class, r -> {
      assertThat(r.error().code()).isEqualTo("ValidationException");
      assertThat(r.error().message()).contains(message);
    });
  }

  private Reply put(Map<String, AttributeValue> attributes, boolean returnOld) {
    return run(r -> new PartitionCommand.Put(new Item(attributes),
        RequestExpressions.NONE, returnOld, 1L, r));
  }

  @Test
  void putGetDeleteWithReturnValues() {
    put(Map.of("pk", s("a"), "sk", n("1"), "v", s("first")), false);
    var old = (PartitionReply.ItemReply) put(Map.of("pk", s("a"), "sk", n("1"),
        "v", s("second")), true);
    assertThat(old.item().get("v")).isEqualTo(s("first"));
    var got = (PartitionReply.ItemReply) run(r -> new PartitionCommand.Get(
        Map.of("pk", s("a"), "sk", n("1.0")), RequestExpressions.NONE, r));
    assertThat(got.item().get("v")).as("1.0 is the key 1").isEqualTo(s("second"));
    var deleted = (PartitionReply.ItemReply) run(r -> new PartitionCommand.Delete(
        Map.of("pk", s("a"), "sk", n("1")), RequestExpressions.NONE, true, 2L, r));
    assertThat(deleted.item().get("v")).isEqualTo(s("second"));
    assertThat(((PartitionReply.ItemReply) run(r -> new PartitionCommand.Get(
        Map.of("pk", s("a"), "sk", n("1")), RequestExpressions.NONE, r))).item()).isNull();
  }

  @Test
  void aGrowingPartitionSnapshotsLessOftenSoASnapshotCostsAboutOneKibPerEvent() {
    PartitionDefinition definition = new PartitionDefinition();
    assertThat(definition.snapshotEveryEvents(partition.getState())).isEqualTo(1_024);
    String value = "x".repeat(390_000);
    for (int i = 0; i < 8; i++) {
      int sk = i;
      put(Map.of("pk", s("big"), "sk", n(Integer.toString(sk)), "v", s(value)), false);
    }
    // 8 items of ~390 KB: ~3,047 KiB, so every 4,096 events (the next power of two).
    assertThat(definition.snapshotEveryEvents(partition.getState())).isEqualTo(4_096);
  }

  @Test
  void aSplitsCopyNeverOverwritesAnItemTheChildAlreadyHas() {
    put(Map.of("pk", s("a"), "sk", n("1"), "v", s("written after the flip")), false);
    run(r -> new PartitionCommand.Load(java.util.List.of(
        new Item(Map.of("pk", s("a"), "sk", n("1"), "v", s("the parent's old copy"))),
        new Item(Map.of("pk", s("b"), "sk", n("1"), "v", s("copied")))), r));
    var a = (PartitionReply.ItemReply) run(r -> new PartitionCommand.Get(
        Map.of("pk", s("a"), "sk", n("1")), RequestExpressions.NONE, r));
    assertThat(a.item().get("v")).isEqualTo(s("written after the flip"));
    var b = (PartitionReply.ItemReply) run(r -> new PartitionCommand.Get(
        Map.of("pk", s("b"), "sk", n("1")), RequestExpressions.NONE, r));
    assertThat(b.item().get("v")).isEqualTo(s("copied"));
  }

  @Test
  void keysAreCheckedAsDynamoDbChecksThem() {
    rejected(put(Map.of("pk", s("a"), "v", s("x")), false),
        "One of the required keys was not given a value");
    rejected(put(Map.of("pk", n("1"), "sk", n("1")), false),
        "Type mismatch for key pk expected: S actual: N");
    rejected(put(Map.of("pk", s(""), "sk", n("1")), false),
        "cannot contain an empty string value");
    rejected(put(Map.of("pk", s("x".repeat(2049)), "sk", n("1")), false),
        "Size of hashkey has exceeded the maximum size limit of 2048 bytes");
    rejected(run(r -> new PartitionCommand.Get(
        Map.of("pk", s("a")), RequestExpressions.NONE, r)),
        "The provided key element does not match the schema");
    rejected(run(r -> new PartitionCommand.Get(
        Map.of("pk", s("a"), "sk", n("1"),
        "other", s("x")), RequestExpressions.NONE, r)), "The provided key element does not match the schema");
    rejected(put(Map.of("pk", s("a"), "sk", n("1"), "big", s("x".repeat(410_000))), false),
        "Item size has exceeded the maximum allowed size");
    assertThat(partition.getState().items().count()).as("nothing written").isZero();
  }

  @Test
  void itemsOfAPartitionKeyAreOrderedBySortKeyNumerically() {
    for (String sk : new String[] {"10", "9", "-1", "2.5"}) {
      put(Map.of("pk", s("a"), "sk", n(sk)), false);
    }
    assertThat(partition.getState().items().toList()).extracting(e -> e.key().range())
        .containsExactly(n("-1"), n("2.5"), n("9"), n("10"));
  }

  @Test
  void aScanReadsPagesInKeyOrderAndResumesAfterTheLastKey() {
    for (int i = 0; i < 7; i++) {
      put(Map.of("pk", s("k" + i), "sk", n("1")), false);
    }
    java.util.List<Item> all = new java.util.ArrayList<>();
    Map<String, AttributeValue> start = null;
    for (int pages = 0; pages < 10; pages++) {
      Map<String, AttributeValue> from = start;
      var page = (PartitionReply.Page) run(r -> new PartitionCommand.Scan(from,
          Long.MIN_VALUE, Long.MAX_VALUE, 3, 1 << 20, RequestExpressions.NONE, r));
      all.addAll(page.items());
      start = page.lastKey();
      if (start == null) {
        break;
      }
    }
    assertThat(all).hasSize(7).doesNotHaveDuplicates();
    assertThat(all).extracting(item -> fabric.dynamo.model.PrimaryKey.token(item.get("pk")))
        .isSorted();
  }

  private static RequestExpressions expr(String condition, String update, String keyCondition,
      String filter, Map<String, AttributeValue> values) {
    return new RequestExpressions(condition, update, null, filter, keyCondition, null,
        values.isEmpty() ? null : values);
  }

  @Test
  void aConditionalPutWritesOnlyWhenItsConditionHolds() {
    var onlyNew = expr("attribute_not_exists(pk)", null, null, null, Map.of());
    run(r -> new PartitionCommand.Put(new Item(Map.of("pk", s("a"), "sk", n("1"),
        "v", s("first"))), onlyNew, false, 1L, r));
    Reply second = run(r -> new PartitionCommand.Put(new Item(Map.of("pk", s("a"),
        "sk", n("1"), "v", s("second"))), onlyNew, false, 2L, r));
    assertThat(second).isInstanceOfSatisfying(Rejected.class, x -> assertThat(x.error().code())
        .isEqualTo("ConditionalCheckFailedException"));
    assertThat(partition.getState().items().toList()).singleElement()
        .satisfies(e -> assertThat(e.item().get("v")).isEqualTo(s("first")));
  }

  @Test
  void updateCreatesTheItemAddsAndAnswersWhatReturnValuesAsks() {
    var add = expr(null, "ADD hits :one SET #n = :name", null, null,
        Map.of(":one", n("1"), ":name", s("page")));
    RequestExpressions named = new RequestExpressions(null, add.update(), null, null, null,
        Map.of("#n", "name"), add.values());
    var key = Map.of("pk", s("c"), "sk", n("1"));
    var first = (PartitionReply.ItemReply) run(r -> new PartitionCommand.Update(key, named,
        "ALL_NEW", 1L, r));
    assertThat(first.item().attributes()).containsEntry("hits", n("1"))
        .containsEntry("name", s("page")).containsEntry("pk", s("c"));
    var second = (PartitionReply.ItemReply) run(r -> new PartitionCommand.Update(key, named,
        "UPDATED_OLD", 2L, r));
    assertThat(second.item().attributes()).containsEntry("hits", n("1"));
    assertThat(partition.getState().items().toList().get(0).item().get("hits"))
        .isEqualTo(n("2"));
    Reply keyChange = run(r -> new PartitionCommand.Update(key, expr(null, "SET pk = :x",
        null, null, Map.of(":x", s("z"))), "NONE", 3L, r));
    assertThat(keyChange).isInstanceOfSatisfying(Rejected.class, x -> assertThat(
        x.error().message()).contains("This attribute is part of the key"));
  }

  @Test
  void aQueryWalksOnePartitionKeyInSortOrderEitherWayAndPages() {
    for (String sk : new String[] {"1", "2", "3", "10", "20"}) {
      put(Map.of("pk", s("q"), "sk", n(sk), "even", new AttributeValue.Bool(
          Integer.parseInt(sk) % 2 == 0)), false);
    }
    put(Map.of("pk", s("other"), "sk", n("5")), false);
    var between = expr(null, null, "pk = :p AND sk BETWEEN :lo AND :hi", null,
        Map.of(":p", s("q"), ":lo", n("2"), ":hi", n("10")));
    var forward = (PartitionReply.Page) run(r -> new PartitionCommand.Query(null, between, true,
        null, 100, 1 << 20, r));
    assertThat(forward.items()).extracting(i -> i.get("sk"))
        .containsExactly(n("2"), n("3"), n("10"));
    var backward = (PartitionReply.Page) run(r -> new PartitionCommand.Query(null, between, false,
        null, 2, 1 << 20, r));
    assertThat(backward.items()).extracting(i -> i.get("sk")).containsExactly(n("10"), n("3"));
    var rest = (PartitionReply.Page) run(r -> new PartitionCommand.Query(null, between, false,
        backward.lastKey(), 2, 1 << 20, r));
    assertThat(rest.items()).extracting(i -> i.get("sk")).containsExactly(n("2"));
    var filtered = (PartitionReply.Page) run(r -> new PartitionCommand.Query(null, expr(null, null,
        "pk = :p", "even = :t", Map.of(":p", s("q"), ":t", new AttributeValue.Bool(true))),
        true, null, 100, 1 << 20, r));
    assertThat(filtered.scannedCount()).as("the filter runs after the read").isEqualTo(5);
    assertThat(filtered.items()).extracting(i -> i.get("sk"))
        .containsExactly(n("2"), n("10"), n("20"));
  }

  @Test
  void aProvisionedPartitionThrottlesWritesBeyondItsBurstAndRefillsWithTime() {
    partition = EntityTestKit.entity(kit, new PartitionDefinition(), "111122223333/t/tid/p1");
    // 1 WCU/s: a burst of 300 s = 300 WCUs; a 3 KB item costs 3.
    run(r -> new PartitionCommand.Init(new KeySchema("pk", "S", "sk", "N"), java.util.List.of(), 1,
        null, 0, r));
    String body = "x".repeat(2_900);
    int written = 0;
    Reply last = null;
    for (int i = 0; i < 120; i++) {
      int k = i;
      last = run(r -> new PartitionCommand.Put(new Item(Map.of("pk", s("k" + k), "sk", n("1"),
          "b", s(body))), RequestExpressions.NONE, false, 0, r));
      if (last instanceof Rejected) {
        break;
      }
      assertThat(((PartitionReply.ItemReply) last).capacityUnits()).isEqualTo(3.0);
      written++;
    }
    assertThat(written).isEqualTo(100);
    assertThat(last).isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.error().code())
        .isEqualTo("ProvisionedThroughputExceededException"));
    // Three seconds later three WCUs are back: one more 3 KB write fits, not two.
    Reply later = run(r -> new PartitionCommand.Put(new Item(Map.of("pk", s("late"),
        "sk", n("1"), "b", s(body))), RequestExpressions.NONE, false, 3_000, r));
    assertThat(later).isInstanceOf(PartitionReply.ItemReply.class);
    assertThat(run(r -> new PartitionCommand.Put(new Item(Map.of("pk", s("later"),
        "sk", n("1"), "b", s(body))), RequestExpressions.NONE, false, 3_000, r)))
        .isInstanceOf(Rejected.class);
  }

  @Test
  void theTtlSweepDeletesItemsWhoseNumericTtlPassedAndLeavesTheRest() {
    long now = 1_800_000_000L; // epoch seconds
    run(r -> new PartitionCommand.SetTimeToLive("expiresAt", r));
    put(Map.of("pk", s("past"), "sk", n("1"), "expiresAt", n(Long.toString(now - 10))), false);
    put(Map.of("pk", s("future"), "sk", n("1"), "expiresAt", n(Long.toString(now + 10))),
        false);
    put(Map.of("pk", s("ancient"), "sk", n("1"),
        "expiresAt", n(Long.toString(now - 6L * 365 * 24 * 3600))), false);
    put(Map.of("pk", s("text"), "sk", n("1"), "expiresAt", s("yesterday")), false);
    var definition = new PartitionDefinition();
    assertThat(definition.tick(partition.getState(), now * 1000, null))
        .isInstanceOf(PartitionCommand.Expire.class);
    run(r -> new PartitionCommand.Expire(now * 1000, r));
    assertThat(partition.getState().items().toList()).extracting(e -> e.key().hash())
        .containsExactlyInAnyOrder(s("future"), s("ancient"), s("text"));
    assertThat(definition.tick(partition.getState(), now * 1000, null))
        .as("nothing left to expire: no command, no write").isNull();
  }

  @Test
  void aLocalIndexOrdersAPartitionKeysItemsByItsAttributeAndProjects() {
    partition = EntityTestKit.entity(kit, new PartitionDefinition(), "111122223333/t/tid/p2");
    var byTotal = new fabric.dynamo.table.IndexSpec("byTotal", new KeySchema("pk", "S",
        "total", "N"), "KEYS_ONLY", java.util.List.of(), 0, 0);
    run(r -> new PartitionCommand.Init(new KeySchema("pk", "S", "sk", "N"),
        java.util.List.of(byTotal), 0, null, 0, r));
    put(Map.of("pk", s("c"), "sk", n("1"), "total", n("30"), "note", s("a")), false);
    put(Map.of("pk", s("c"), "sk", n("2"), "total", n("10"), "note", s("b")), false);
    put(Map.of("pk", s("c"), "sk", n("3"), "note", s("no total: not in the index")), false);
    put(Map.of("pk", s("c"), "sk", n("4"), "total", n("20")), false);
    put(Map.of("pk", s("c"), "sk", n("2"), "total", n("40"), "note", s("b2")), false);
    var all = expr(null, null, "pk = :p", null, Map.of(":p", s("c")));
    var page = (PartitionReply.Page) run(r -> new PartitionCommand.Query("byTotal", all, true,
        null, 100, 1 << 20, r));
    assertThat(page.items()).extracting(item -> item.get("total"))
        .containsExactly(n("20"), n("30"), n("40"));
    assertThat(page.items().get(0).attributes()).as("KEYS_ONLY")
        .containsOnlyKeys("pk", "sk", "total");
    // TOTAL is one of DynamoDB's reserved words: a placeholder names it.
    var over25 = new RequestExpressions(null, null, null, null, "pk = :p AND #t > :t",
        Map.of("#t", "total"), Map.of(":p", s("c"), ":t", n("25")));
    var first = (PartitionReply.Page) run(r -> new PartitionCommand.Query("byTotal", over25,
        false, null, 1, 1 << 20, r));
    assertThat(first.items()).extracting(item -> item.get("total")).containsExactly(n("40"));
    assertThat(first.lastKey()).containsKeys("pk", "sk", "total");
    var next = (PartitionReply.Page) run(r -> new PartitionCommand.Query("byTotal", over25,
        false, first.lastKey(), 1, 1 << 20, r));
    assertThat(next.items()).extracting(item -> item.get("total")).containsExactly(n("30"));
  }

  @Test
  void aPreparedItemIsLockedKeepsItsValueForReadersAndCommitsOrAborts() {
    put(Map.of("pk", s("a"), "sk", n("1"), "v", s("old")), false);
    var key = Map.of("pk", s("a"), "sk", n("1"));
    var write = new RequestExpressions(null, "SET v = :v", null, null, null, null,
        Map.of(":v", s("new")));
    var vote = (PartitionReply.Vote) run(r -> new PartitionCommand.PrepareTx("acct/t1",
        "Update", null, key, write, 1L, r));
    assertThat(vote.yes()).isTrue();
    var other = (PartitionReply.Vote) run(r -> new PartitionCommand.PrepareTx("acct/t2",
        "Delete", null, key, RequestExpressions.NONE, 2L, r));
    assertThat(other.yes()).isFalse();
    assertThat(other.reason()).isEqualTo("TransactionConflict");
    assertThat(put(Map.of("pk", s("a"), "sk", n("1")), false)).isInstanceOfSatisfying(
        Rejected.class, x -> assertThat(x.error().code())
            .isEqualTo("TransactionConflictException"));
    var read = (PartitionReply.ItemReply) run(r -> new PartitionCommand.Get(key,
        RequestExpressions.NONE, r));
    assertThat(read.item().get("v")).as("the committed value").isEqualTo(s("old"));
    assertThat(read.lock().newItem().get("v")).isEqualTo(s("new"));
    run(r -> new PartitionCommand.CommitTx("acct/t1", 3L, r));
    var after = (PartitionReply.ItemReply) run(r -> new PartitionCommand.Get(key,
        RequestExpressions.NONE, r));
    assertThat(after.item().get("v")).isEqualTo(s("new"));
    assertThat(after.lock()).isNull();

    var failing = new RequestExpressions("v = :x", null, null, null, null, null,
        Map.of(":x", s("nope")));
    var no = (PartitionReply.Vote) run(r -> new PartitionCommand.PrepareTx("acct/t3",
        "ConditionCheck", null, key, failing, 4L, r));
    assertThat(no.reason()).isEqualTo("ConditionalCheckFailed");
    run(r -> new PartitionCommand.PrepareTx("acct/t4", "Delete", null, key,
        RequestExpressions.NONE, 5L, r));
    run(r -> new PartitionCommand.AbortTx("acct/t4", r));
    assertThat(partition.getState().locks().toList()).isEmpty();
    assertThat(partition.getState().items().count()).isEqualTo(1);
  }

  private PartitionReply.ItemReply get(String pk) {
    return (PartitionReply.ItemReply) run(r -> new PartitionCommand.Get(
        Map.of("pk", s(pk), "sk", n("1")), RequestExpressions.NONE, r));
  }

  @Test
  void aValueThatComesBackIsANewVersionSoAnAtomicReadCanTellItChanged() {
    put(Map.of("pk", s("acct"), "sk", n("1"), "balance", n("100")), false);
    var before = get("acct");
    put(Map.of("pk", s("acct"), "sk", n("1"), "balance", n("97")), false);
    put(Map.of("pk", s("acct"), "sk", n("1"), "balance", n("100")), false);
    var after = get("acct");
    assertThat(after.item()).isEqualTo(before.item());
    assertThat(after.version()).as("out and back in again").isNotEqualTo(before.version());
    assertThat(after.partition()).isEqualTo("111122223333/t/tid/p0");

    var absent = get("gone");
    put(Map.of("pk", s("gone"), "sk", n("1")), false);
    run(r -> new PartitionCommand.Delete(Map.of("pk", s("gone"), "sk", n("1")),
        RequestExpressions.NONE, false, 2L, r));
    var absentAgain = get("gone");
    assertThat(absentAgain.item()).isNull();
    assertThat(absentAgain.version()).as("created and deleted in between")
        .isNotEqualTo(absent.version());

    // Versions are event numbers: a new leader's replay gives every item the same ones.
    partition.restart();
    assertThat(get("acct").version()).isEqualTo(after.version());
    assertThat(get("gone").version()).isEqualTo(absentAgain.version());
  }

  @Test
  void aSnapshotFromBeforeVersionsStillLoads() throws Exception {
    put(Map.of("pk", s("acct"), "sk", n("1"), "balance", n("100")), false);
    ItemStore store = partition.getState().items();
    var mapper = org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider.get(
        kit.system()).getOrCreate("jackson-cbor", java.util.Optional.empty());
    var legacy = mapper.valueToTree(store.toList());
    legacy.forEach(entry -> ((com.fasterxml.jackson.databind.node.ObjectNode) entry)
        .remove("version"));
    ItemStore loaded = mapper.treeToValue(legacy, ItemStore.class);
    var key = partition.getState().keySchema().keyOf(Map.of("pk", s("acct"), "sk", n("1")));
    assertThat(loaded.get(key)).isEqualTo(store.get(key));
    assertThat(loaded.version(key)).isZero();
    ItemStore current = mapper.readValue(mapper.writeValueAsBytes(store), ItemStore.class);
    assertThat(current).isEqualTo(store);
    assertThat(current.version(key)).isEqualTo(store.version(key)).isPositive();
  }

  @Test
  void anUpdateThatWouldGiveAGlobalIndexKeyAnotherTypeIsRefusedAndWritesNothing() {
    put(Map.of("pk", s("a"), "sk", n("1"), "city", s("Paris")), false);
    var key = Map.of("pk", s("a"), "sk", n("1"));
    var byCity = java.util.List.of(new fabric.dynamo.table.IndexSpec("byCity",
        new KeySchema("city", "S", null, null), "ALL", java.util.List.of(), 0, 0));
    var toNumber = new RequestExpressions(null, "SET city = :n", null, null, null, null,
        Map.of(":n", n("75")));
    rejected(run(r -> new PartitionCommand.Update(key, toNumber, "NONE", false, 2L, byCity, r)),
        "Type mismatch for Index Key city Expected: S Actual: N IndexName: byCity");
    var vote = (PartitionReply.Vote) run(r -> new PartitionCommand.PrepareTx("acct/t9",
        "Update", null, key, toNumber, false, 3L, byCity, r));
    assertThat(vote.yes()).isFalse();
    assertThat(vote.reason()).isEqualTo("ValidationError");
    assertThat(get("a").item().get("city")).as("nothing written").isEqualTo(s("Paris"));
    var toEmpty = new RequestExpressions(null, "SET city = :e", null, null, null, null,
        Map.of(":e", s("")));
    rejected(run(r -> new PartitionCommand.Update(key, toEmpty, "NONE", false, 4L, byCity, r)),
        "cannot contain an empty string value. IndexName: byCity");
    var removed = new RequestExpressions(null, "REMOVE city", null, null, null, null, null);
    run(r -> new PartitionCommand.Update(key, removed, "NONE", false, 5L, byCity, r));
    assertThat(get("a").item().get("city")).as("absent: only out of the index").isNull();
  }

  @Test
  void aFrozenPartitionMarksWhatItReadsSoTheServiceChecksTheMapStillNamesIt() {
    put(Map.of("pk", s("a"), "sk", n("1")), false);
    assertThat(get("a").frozen()).isFalse();
    run(r -> new PartitionCommand.Freeze("p0a", "p0b", 0L, 3L, r));
    assertThat(get("a").frozen()).isTrue();
    var many = (PartitionReply.ItemReplies) run(r -> new PartitionCommand.GetMany(
        java.util.List.of(new PartitionCommand.Get(Map.of("pk", s("a"), "sk", n("1")),
            RequestExpressions.NONE, null)), r));
    assertThat(many.frozen()).isTrue();
    var scanned = (PartitionReply.Page) run(r -> new PartitionCommand.Scan(null,
        Long.MIN_VALUE, Long.MAX_VALUE, 10, 1 << 20, RequestExpressions.NONE, null, r));
    assertThat(scanned.items()).hasSize(1);
    assertThat(scanned.frozen()).isTrue();
  }
}
