package fabric.dynamo.partition;

import fabric.core.entity.EntityCommand;
import fabric.core.entity.Reply;
import fabric.dynamo.model.AttributeValue;
import fabric.dynamo.model.Item;
import fabric.dynamo.model.KeySchema;
import fabric.dynamo.table.IndexSpec;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What a partition entity is asked. Keys arrive as the request gave them; expressions as
 * text ({@link RequestExpressions}), evaluated against the partition's current items.
 */
public sealed interface PartitionCommand extends EntityCommand {
  /** Sets the partition up for its table (idempotent).
   *  @param writeUnitsPerSecond its share of a provisioned table's WCU; 0 = on demand */
  record Init(KeySchema keySchema, java.util.List<fabric.dynamo.table.IndexSpec> localIndexes,
      double writeUnitsPerSecond, String streamViewType, long nowMillis,
      ActorRef<Reply> replyTo) implements PartitionCommand {}

  /** @param returnOld ReturnValues ALL_OLD; {@code expressions}: the ConditionExpression
   *  @param oldOnConditionFailure ReturnValuesOnConditionCheckFailure ALL_OLD: a failed
   *      condition is answered {@link PartitionReply.ConditionFailed} with the item (also
   *      for Update, Delete and PrepareTx's vote) */
  record Put(Item item, RequestExpressions expressions, boolean returnOld,
      boolean oldOnConditionFailure, long nowMillis, ActorRef<Reply> replyTo)
      implements PartitionCommand {
    public Put(Item item, RequestExpressions expressions, boolean returnOld, long nowMillis,
        ActorRef<Reply> replyTo) {
      this(item, expressions, returnOld, false, nowMillis, replyTo);
    }
  }

  /** {@code expressions}: the UpdateExpression and ConditionExpression.
   *  @param returnValues NONE, ALL_OLD, UPDATED_OLD, ALL_NEW or UPDATED_NEW
   *  @param globalIndexes the table's global secondary indexes, whose key types the updated
   *      item must respect (the partition knows only the local ones) */
  record Update(Map<String, AttributeValue> key, RequestExpressions expressions,
      String returnValues, boolean oldOnConditionFailure, long nowMillis,
      List<IndexSpec> globalIndexes, ActorRef<Reply> replyTo) implements PartitionCommand {
    public Update {
      globalIndexes = globalIndexes == null ? List.of() : List.copyOf(globalIndexes);
    }

    public Update(Map<String, AttributeValue> key, RequestExpressions expressions,
        String returnValues, long nowMillis, ActorRef<Reply> replyTo) {
      this(key, expressions, returnValues, false, nowMillis, List.of(), replyTo);
    }
  }

  record Delete(Map<String, AttributeValue> key, RequestExpressions expressions,
      boolean returnOld, boolean oldOnConditionFailure, long nowMillis,
      ActorRef<Reply> replyTo) implements PartitionCommand {
    public Delete(Map<String, AttributeValue> key, RequestExpressions expressions,
        boolean returnOld, long nowMillis, ActorRef<Reply> replyTo) {
      this(key, expressions, returnOld, false, nowMillis, replyTo);
    }
  }

  /** {@code expressions}: the ProjectionExpression. */
  record Get(Map<String, AttributeValue> key, RequestExpressions expressions,
      ReadCharge charge, ActorRef<Reply> replyTo) implements PartitionCommand {
    /** A read the service makes for itself: not metered. */
    public Get(Map<String, AttributeValue> key, RequestExpressions expressions,
        ActorRef<Reply> replyTo) {
      this(key, expressions, null, replyTo);
    }
  }

  /** Several items of this partition read at one moment (a TransactGetItems' share of
   *  them), not metered; one {@link PartitionReply.ItemReplies} in the order given. */
  record GetMany(List<Get> gets, ActorRef<Reply> replyTo) implements PartitionCommand {
    public GetMany {
      gets = List.copyOf(gets);
    }
  }

  /**
   * A page of a Scan: items in key order after {@code exclusiveStartKey} (or from the first
   * key of {@code fromToken}), up to the key of {@code toToken} inclusive, at most
   * {@code limit} items read and about {@code maxBytes} of them (DynamoDB's 1 MB page);
   * {@code expressions}: FilterExpression and ProjectionExpression.
   */
  record Scan(Map<String, AttributeValue> exclusiveStartKey, long fromToken, long toToken,
      int limit, int maxBytes, RequestExpressions expressions, ReadCharge charge,
      ActorRef<Reply> replyTo) implements PartitionCommand {
    /** A read the service makes for itself (a split's copy): not metered. */
    public Scan(Map<String, AttributeValue> exclusiveStartKey, long fromToken, long toToken,
        int limit, int maxBytes, RequestExpressions expressions, ActorRef<Reply> replyTo) {
      this(exclusiveStartKey, fromToken, toToken, limit, maxBytes, expressions, null, replyTo);
    }
  }

  /**
   * A page of a Query: the items of one partition key in sort-key order ({@code forward}) or
   * reverse, that match the KeyConditionExpression, after {@code exclusiveStartKey}; limits
   * as {@link Scan}.
   */
  record Query(String indexName, RequestExpressions expressions, boolean forward,
      Map<String, AttributeValue> exclusiveStartKey, int limit, int maxBytes,
      ReadCharge charge, ActorRef<Reply> replyTo) implements PartitionCommand {
    public Query(String indexName, RequestExpressions expressions, boolean forward,
        Map<String, AttributeValue> exclusiveStartKey, int limit, int maxBytes,
        ActorRef<Reply> replyTo) {
      this(indexName, expressions, forward, exclusiveStartKey, limit, maxBytes, null, replyTo);
    }
  }

  /** UpdateTable: the partition's write capacity share and the stream (null = none). */
  record Reconfigure(double writeUnitsPerSecond, String streamViewType, long nowMillis,
      ActorRef<Reply> replyTo) implements PartitionCommand {}

  /** The table's TTL attribute (null = TTL off). */
  record SetTimeToLive(String attributeName, ActorRef<Reply> replyTo)
      implements PartitionCommand {}

  /** A TTL sweep: items whose TTL passed are deleted (as the service, not a caller). */
  record Expire(long nowMillis, ActorRef<Reply> replyTo) implements PartitionCommand {}

  /** Where the partition's journal is (its events applied: a stream's LATEST), and its
   *  item count and size (DescribeTable's). */
  record Position(ActorRef<Reply> replyTo) implements PartitionCommand {}

  /**
   * A transaction's write (or condition check) prepared here: checked against the current
   * item and locked until {@link CommitTx} or {@link AbortTx}.
   * @param op Put, Update, Delete or ConditionCheck; {@code item} for a Put, {@code key}
   *     for the others
   */
  record PrepareTx(String txId, String op, Item item, Map<String, AttributeValue> key,
      RequestExpressions expressions, boolean oldOnConditionFailure, long nowMillis,
      List<IndexSpec> globalIndexes, ActorRef<Reply> replyTo) implements PartitionCommand {
    public PrepareTx {
      globalIndexes = globalIndexes == null ? List.of() : List.copyOf(globalIndexes);
    }

    public PrepareTx(String txId, String op, Item item, Map<String, AttributeValue> key,
        RequestExpressions expressions, long nowMillis, ActorRef<Reply> replyTo) {
      this(txId, op, item, key, expressions, false, nowMillis, List.of(), replyTo);
    }
  }

  record CommitTx(String txId, long nowMillis, ActorRef<Reply> replyTo)
      implements PartitionCommand {}

  record AbortTx(String txId, ActorRef<Reply> replyTo) implements PartitionCommand {}

  /**
   * A split begins: this partition stops taking writes (reads go on) until the table points
   * at its children. Refused while a transaction holds one of its items.
   */
  record Freeze(String low, String high, long midToken, long nowMillis,
      ActorRef<Reply> replyTo) implements PartitionCommand {}

  /** A split's copy into a child: the parent's items of this child's range (idempotent). */
  record Load(java.util.List<Item> items, ActorRef<Reply> replyTo) implements PartitionCommand {}

  /** The table was deleted: every item goes. */
  record Drop(ActorRef<Reply> replyTo) implements PartitionCommand {}

  /** Global tables: this replica's region and the other replicas' (empty: regional). */
  record SetGlobal(String region, java.util.List<String> peers, ActorRef<Reply> replyTo)
      implements PartitionCommand {}

  /** Writes from another region: each applied if newer than this replica's version of its
   *  key (last writer wins), whatever the item's conditions or locks. */
  record ApplyReplica(java.util.List<fabric.dynamo.global.ReplicaWrite> writes,
      ActorRef<Reply> replyTo) implements PartitionCommand {}

  /** The feed to {@code region} got every write event before {@code nextSeqNr} there. */
  record Shipped(String region, long nextSeqNr, ActorRef<Reply> replyTo)
      implements PartitionCommand {}

  /**
   * A page of this replica's items and tombstones with their versions, in key order after
   * {@code afterKey} ({@code tombstones}: the tombstone phase), for a new replica's copy.
   */
  record ReplicaPage(boolean tombstones, fabric.dynamo.model.PrimaryKey afterKey, int limit,
      ActorRef<Reply> replyTo) implements PartitionCommand {}
}
