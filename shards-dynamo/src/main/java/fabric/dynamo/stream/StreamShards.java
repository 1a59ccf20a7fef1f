package fabric.dynamo.stream;

import fabric.dynamo.table.TableState;
import java.util.ArrayList;
import java.util.List;

/**
 * A stream's shards across partition splits, as DynamoDB Streams shows them: a split closes
 * the parent's shard (it ends at the event that froze the parent; its records stay readable
 * for the 24 h retention) and opens one shard per child, whose parent shard is the parent's.
 * Pure: computed from the table's state.
 */
public final class StreamShards {
  /**
   * Most closed partitions a table remembers (the oldest are forgotten first). A table
   * splitting this often within 24 h (a split every ~86 s) holds far more than any laptop
   * keeps; the bound keeps the table's state (and DescribeStream) small.
   */
  public static final int MAX_CLOSED = 1_000;

  private StreamShards() {}

  /**
   * One shard.
   *
   * @param parentPartition null for a table's first partition
   * @param endingSeqNr 0 while the shard is open
   */
  public record Shard(String partition, String parentPartition, long endingSeqNr) {
    public boolean closed() {
      return endingSeqNr > 0;
    }
  }

  /**
   * The closed partitions after {@code closed} was split at {@code closed.closedAtMillis()}:
   * those past the retention are dropped, at most {@link #MAX_CLOSED} kept.
   */
  public static List<TableState.ClosedPartition> closedAfterSplit(
      List<TableState.ClosedPartition> before, TableState.ClosedPartition closed) {
    List<TableState.ClosedPartition> out = new ArrayList<>();
    for (TableState.ClosedPartition c : before) {
      boolean retained = closed == null
          || closed.closedAtMillis() - c.closedAtMillis() <= DynamoStreams.RETENTION_MILLIS;
      if (retained && (closed == null || !c.id().equals(closed.id()))) {
        out.add(c);
      }
    }
    if (closed != null) {
      out.add(closed);
    }
    return out.size() <= MAX_CLOSED ? out : out.subList(out.size() - MAX_CLOSED, out.size());
  }

  /**
   * The partition {@code partition} was split from: children are named after their parent
   * with "a" (low half) or "b" (high half) appended (PartitionSplits); a table's first
   * partitions ("p0") have none.
   */
  public static String parentOf(String partition) {
    int n = partition.length();
    return n > 2 && (partition.charAt(n - 1) == 'a' || partition.charAt(n - 1) == 'b')
        ? partition.substring(0, n - 1) : null;
  }

  /**
   * The stream's shards at {@code nowMillis}: the closed ones still within the retention
   * (oldest first, so parents come before their children), then the open ones.
   */
  public static List<Shard> shards(TableState t, long nowMillis) {
    List<Shard> out = new ArrayList<>();
    for (TableState.ClosedPartition c : t.closedPartitions()) {
      if (nowMillis - c.closedAtMillis() <= DynamoStreams.RETENTION_MILLIS) {
        out.add(new Shard(c.id(), parentOf(c.id()), Math.max(1, c.endingSeqNr())));
      }
    }
    for (TableState.Partition p : t.partitions()) {
      out.add(new Shard(p.id(), parentOf(p.id()), 0));
    }
    return out;
  }

  /** The shard of a partition, open or closed, or null when the stream has none. */
  static Shard find(TableState t, String partition) {
    for (TableState.ClosedPartition c : t.closedPartitions()) {
      if (c.id().equals(partition)) {
        return new Shard(c.id(), parentOf(c.id()), Math.max(1, c.endingSeqNr()));
      }
    }
    for (TableState.Partition p : t.partitions()) {
      if (p.id().equals(partition)) {
        return new Shard(p.id(), parentOf(p.id()), 0);
      }
    }
    return null;
  }
}
