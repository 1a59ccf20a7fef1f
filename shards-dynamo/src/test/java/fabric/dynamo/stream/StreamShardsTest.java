package fabric.dynamo.stream;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.dynamo.table.TableState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamShardsTest {
  private static final long HOUR = 3_600_000L;

  private static TableState table(List<TableState.Partition> open,
      List<TableState.ClosedPartition> closed) {
    return new TableState("a/t", "r", "tid", null, TableState.ACTIVE, 0, open, null, Map.of(),
        0, closed, List.of());
  }

  @Test
  void aSplitParentIsClosedAndNamedByItsChildrenUntilTheRetentionPasses() {
    var closed = List.of(new TableState.ClosedPartition("p0", Long.MIN_VALUE, 42, 10 * HOUR));
    var t = table(List.of(new TableState.Partition("p0a", Long.MIN_VALUE),
        new TableState.Partition("p0b", 0)), closed);
    assertThat(StreamShards.shards(t, 11 * HOUR)).containsExactly(
        new StreamShards.Shard("p0", null, 42),
        new StreamShards.Shard("p0a", "p0", 0),
        new StreamShards.Shard("p0b", "p0", 0));
    assertThat(StreamShards.shards(t, 11 * HOUR).get(0).closed()).isTrue();
    // 24 h after the split the parent is gone; its children still name it, as AWS's do.
    assertThat(StreamShards.shards(t, 34 * HOUR + 1)).extracting(StreamShards.Shard::partition)
        .containsExactly("p0a", "p0b");
  }

  @Test
  void aSplitForgetsClosedPartitionsPastTheRetentionAndKeepsAtMostTheBound() {
    var old = new TableState.ClosedPartition("p0", Long.MIN_VALUE, 5, 0);
    var recent = new TableState.ClosedPartition("p0a", Long.MIN_VALUE, 9, 20 * HOUR);
    var now = new TableState.ClosedPartition("p0b", 0, 7, 25 * HOUR);
    assertThat(StreamShards.closedAfterSplit(List.of(old, recent), now))
        .containsExactly(recent, now);
    List<TableState.ClosedPartition> many = new ArrayList<>();
    for (int i = 0; i < StreamShards.MAX_CLOSED + 10; i++) {
      many = StreamShards.closedAfterSplit(many,
          new TableState.ClosedPartition("p" + i, i, 1, i));
    }
    assertThat(many).hasSize(StreamShards.MAX_CLOSED);
    assertThat(many.get(many.size() - 1).id()).isEqualTo("p" + (StreamShards.MAX_CLOSED + 9));
  }

  @Test
  void childrenNameTheirParent() {
    assertThat(StreamShards.parentOf("p0")).isNull();
    assertThat(StreamShards.parentOf("p0a")).isEqualTo("p0");
    assertThat(StreamShards.parentOf("p0ab")).isEqualTo("p0a");
  }
}
