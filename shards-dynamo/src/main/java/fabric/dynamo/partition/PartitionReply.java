package fabric.dynamo.partition;

import fabric.core.entity.Reply;
import fabric.core.serialization.CborSerializable;
import fabric.dynamo.model.AttributeValue;
import fabric.dynamo.model.Item;
import java.util.List;
import java.util.Map;

/** What a partition answers (besides {@link fabric.core.entity.Rejected}). */
public sealed interface PartitionReply extends Reply, CborSerializable {
  /** A read answered by a partition frozen for a split: right only while the table's map
   *  still names it (the service checks; once the map names the children, they have taken
   *  writes this partition never saw). */
  default boolean frozen() {
    return false;
  }

  record Done() implements PartitionReply {}

  /** A transaction participant's vote: {@code reason} is DynamoDB's cancellation code
   *  (ConditionalCheckFailed, TransactionConflict, ValidationError) when it is no;
   *  {@code item} the current item of a failed condition that asked for it (ALL_OLD). */
  record Vote(boolean yes, String reason, String message, Item item)
      implements PartitionReply {
    public Vote(boolean yes, String reason, String message) {
      this(yes, reason, message, null);
    }
  }

  /** A write's condition failed and it asked ReturnValuesOnConditionCheckFailure ALL_OLD:
   *  the current item (null when there is none). Without ALL_OLD a failed condition is a
   *  ConditionalCheckFailedException, which carries no item across nodes. */
  record ConditionFailed(Item item) implements PartitionReply {}

  /** @param appliedEvents a lower bound of the journal seqNr of the last event */
  record Position(long appliedEvents, int itemCount, long sizeBytes)
      implements PartitionReply {}

  /**
   * @param items the items read that passed the filter, projected
   * @param scannedCount items read (before the filter): what Limit counts
   * @param lastKey the key of the last item read when the page stopped early (Limit or
   *     size), null when the range was read to its end
   */
  record Page(List<Item> items, int scannedCount, long scannedBytes,
      Map<String, AttributeValue> lastKey, boolean frozen) implements PartitionReply {
    public Page(List<Item> items, int scannedCount, long scannedBytes,
        Map<String, AttributeValue> lastKey) {
      this(items, scannedCount, scannedBytes, lastKey, false);
    }

    Page asFrozen() {
      return new Page(items, scannedCount, scannedBytes, lastKey, true);
    }
  }

  /** A GetMany's answers, in its order. */
  record ItemReplies(List<ItemReply> replies, boolean frozen) implements PartitionReply {
    public ItemReplies(List<ItemReply> replies) {
      this(replies, false);
    }
  }

  /**
   * @param item null when there is none (GetItem) or nothing to return (ReturnValues)
   * @param capacityUnits what the call consumed: WCUs of a write, RCUs of a strongly
   *     consistent read (the service halves them for an eventually consistent one)
   * @param lock a read's: the transaction holding the item, if any
   * @param partition a read's: the partition entity that answered (versions are its own)
   * @param version a read's: the item's {@link ItemStore#version}
   */
  record ItemReply(Item item, double capacityUnits, TxLocks.Lock lock, String partition,
      long version, boolean frozen) implements PartitionReply {
    public ItemReply(Item item, double capacityUnits) {
      this(item, capacityUnits, null, null, 0, false);
    }
  }

  /** A page of a replica's items and tombstones with their versions; {@code lastKey} null:
   *  this phase (items, then tombstones) is done. */
  record ReplicaPage(List<fabric.dynamo.global.ReplicaWrite> writes,
      fabric.dynamo.model.PrimaryKey lastKey) implements PartitionReply {}
}
