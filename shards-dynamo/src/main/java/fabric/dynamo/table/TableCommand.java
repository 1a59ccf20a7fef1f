package fabric.dynamo.table;

import fabric.core.entity.EntityCommand;
import fabric.core.entity.Reply;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;

/** What a table entity is asked; time comes with every command. */
public sealed interface TableCommand extends EntityCommand {
  /** @param tableId chosen by the caller (a UUID), so deciding stays deterministic */
  record Create(String region, String tableId, TableSpec spec, Map<String, String> tags,
      long nowMillis, ActorRef<Reply> replyTo) implements TableCommand {}

  /** The partitions are ready: CREATING becomes ACTIVE (idempotent). */
  record Activate(long nowMillis, ActorRef<Reply> replyTo) implements TableCommand {}

  record Describe(ActorRef<Reply> replyTo) implements TableCommand {}

  record Delete(long nowMillis, ActorRef<Reply> replyTo) implements TableCommand {}

  /** A partition's items now live in two children: {@code low} keeps the parent's first
   *  token, {@code high} starts at {@code midToken} (idempotent); the parent's stream shard
   *  closes at {@code parentEndingSeqNr}. */
  record Split(String parent, String low, String high, long midToken, long parentEndingSeqNr,
      long nowMillis, ActorRef<Reply> replyTo) implements TableCommand {}

  /**
   * UpdateTable: null/0 = unchanged.
   * @param streamViewType null = unchanged, "" = disable the stream, else enable it
   */
  record Update(String billingMode, long readCapacityUnits, long writeCapacityUnits,
      String streamViewType, ActorRef<Reply> replyTo) implements TableCommand {}

  /**
   * UpdateTable's GlobalSecondaryIndexUpdates Create: the index joins the spec (its items
   * come by backfill). @param attributeDefinitions the request's, merged into the table's
   */
  record CreateGlobalIndex(IndexSpec index, Map<String, String> attributeDefinitions,
      ActorRef<Reply> replyTo) implements TableCommand {}

  /** GlobalSecondaryIndexUpdates Delete. */
  record DeleteGlobalIndex(String indexName, ActorRef<Reply> replyTo) implements TableCommand {}

  /** GlobalSecondaryIndexUpdates Update: the index's provisioned throughput. */
  record UpdateGlobalIndex(String indexName, long readCapacityUnits, long writeCapacityUnits,
      ActorRef<Reply> replyTo) implements TableCommand {}

  record UpdateTimeToLive(boolean enabled, String attributeName, ActorRef<Reply> replyTo)
      implements TableCommand {}

  record Tag(Map<String, String> tags, ActorRef<Reply> replyTo) implements TableCommand {}

  record Untag(List<String> keys, ActorRef<Reply> replyTo) implements TableCommand {}

  /** A global table's replica in {@code regionName} is {@code status} (null: removed);
   *  idempotent. */
  record SetReplica(String regionName, String status, long nowMillis,
      ActorRef<Reply> replyTo) implements TableCommand {}
}
