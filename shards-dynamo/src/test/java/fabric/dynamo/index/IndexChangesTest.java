package fabric.dynamo.index;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.dynamo.model.AttributeValue;
import fabric.dynamo.model.DynamoNumber;
import fabric.dynamo.model.Item;
import fabric.dynamo.model.KeySchema;
import fabric.dynamo.model.PrimaryKey;
import fabric.dynamo.partition.PartitionEvent;
import fabric.dynamo.partition.TxLocks;
import fabric.dynamo.table.IndexSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Base partition events as index changes: sparse, projected, whole entries. */
class IndexChangesTest {
  static final KeySchema TABLE = new KeySchema("pk", "S", null, null);
  static final KeySchema BY_CITY = new KeySchema("city", "S", "age", "N");

  static AttributeValue s(String v) {
    return new AttributeValue.S(v);
  }

  static AttributeValue n(long v) {
    return new AttributeValue.N(DynamoNumber.of(v));
  }

  static Item item(Object... nameValues) {
    Map<String, AttributeValue> m = new LinkedHashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      m.put((String) nameValues[i], (AttributeValue) nameValues[i + 1]);
    }
    return new Item(m);
  }

  static IndexSpec index(String projection, List<String> include) {
    return new IndexSpec("byCity", BY_CITY, projection, include, 0, 0);
  }

  static PrimaryKey key(String pk) {
    return PrimaryKey.of(s(pk), null);
  }

  private static List<IndexEvent.Change> changes(IndexSpec spec, PartitionEvent event) {
    List<IndexEvent.Change> out = new ArrayList<>();
    IndexChanges.of(spec, TABLE, event, out);
    return out;
  }

  private static PartitionEvent put(String pk, Item item) {
    return new PartitionEvent.ItemPut(key(pk), item, null, 1, 0);
  }

  @Test
  void aPutWithTheIndexKeyIsAnEntryKeyedByIt() {
    Item alice = item("pk", s("a"), "city", s("Oslo"), "age", n(30), "note", s("x"));
    var c = changes(index("ALL", List.of()), put("a", alice));
    assertThat(c).hasSize(1);
    assertThat(c.get(0).baseKey()).isEqualTo(key("a"));
    assertThat(c.get(0).entry().indexKey()).isEqualTo(PrimaryKey.of(s("Oslo"), n(30)));
    assertThat(c.get(0).entry().item()).isEqualTo(alice);
  }

  @Test
  void anItemWithoutAnIndexKeyAttributeOrOfAnotherTypeIsNotInTheIndex() {
    IndexSpec spec = index("ALL", List.of());
    assertThat(changes(spec, put("a", item("pk", s("a"), "city", s("Oslo")))))
        .containsExactly(new IndexEvent.Change(key("a"), null));
    assertThat(changes(spec, put("a", item("pk", s("a"), "city", s("Oslo"), "age",
        s("thirty"))))).containsExactly(new IndexEvent.Change(key("a"), null));
  }

  @Test
  void projectionsKeepTheKeysAndOnlyWhatTheyName() {
    Item alice = item("pk", s("a"), "city", s("Oslo"), "age", n(30), "note", s("x"),
        "mail", s("m"));
    assertThat(changes(index("KEYS_ONLY", List.of()), put("a", alice)).get(0).entry().item()
        .attributes()).containsOnlyKeys("pk", "city", "age");
    assertThat(changes(index("INCLUDE", List.of("mail")), put("a", alice)).get(0).entry()
        .item().attributes()).containsOnlyKeys("pk", "city", "age", "mail");
    assertThat(changes(index("ALL", List.of()), put("a", alice)).get(0).entry().item()
        .attributes()).containsOnlyKeys("pk", "city", "age", "note", "mail");
  }

  @Test
  void deletesExpiriesAndTransactionsStateTheWholeEntry() {
    IndexSpec spec = index("ALL", List.of());
    assertThat(changes(spec, new PartitionEvent.ItemDeleted(key("a"), null, 1, 0)))
        .containsExactly(new IndexEvent.Change(key("a"), null));
    assertThat(changes(spec, new PartitionEvent.ItemsExpired(List.of(key("a"), key("b")),
        null, 0))).containsExactly(new IndexEvent.Change(key("a"), null),
        new IndexEvent.Change(key("b"), null));
    Item bob = item("pk", s("b"), "city", s("Rome"), "age", n(40));
    var tx = new PartitionEvent.TxCommitted("t1", List.of(
        new TxLocks.Lock("t1", key("a"), null, true, 0),
        new TxLocks.Lock("t1", key("b"), bob, false, 0),
        new TxLocks.Lock("t1", key("c"), null, false, 0)), 0);
    var c = changes(spec, tx);
    assertThat(c).hasSize(2); // the condition check on c changed nothing
    assertThat(c.get(0)).isEqualTo(new IndexEvent.Change(key("a"), null));
    assertThat(c.get(1).entry().indexKey()).isEqualTo(PrimaryKey.of(s("Rome"), n(40)));
    assertThat(changes(spec, new PartitionEvent.Loaded(List.of(bob))).get(0).baseKey())
        .isEqualTo(key("b"));
    assertThat(changes(spec, new PartitionEvent.TxAborted("t1"))).isEmpty();
  }
}
