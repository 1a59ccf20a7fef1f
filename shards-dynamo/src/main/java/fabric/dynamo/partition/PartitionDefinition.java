package fabric.dynamo.partition;

import fabric.core.entity.Outcome;
import fabric.core.entity.ResourceDefinition;
import fabric.dynamo.model.DynamoErrors;
import fabric.dynamo.model.Item;
import fabric.dynamo.model.PrimaryKey;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * One partition of a table (entity id {@code <account>/<table>/<tableId>/<partition>}): the
 * items whose partition-key tokens it owns, in key order. Writes are group-committed by the
 * framework's front; GetItem is read-only, so it is answered from the durable state without
 * waiting behind writes, and eventually consistent reads can go to the AZ's follower.
 */
public final class PartitionDefinition
    implements ResourceDefinition<PartitionCommand, PartitionEvent, PartitionState> {
  public static final EntityTypeKey<PartitionCommand> TYPE_KEY =
      EntityTypeKey.create(PartitionCommand.class, "TablePartition");

  @Override
  public EntityTypeKey<PartitionCommand> typeKey() {
    return TYPE_KEY;
  }

  @Override
  public PartitionState emptyState(String entityId) {
    return new PartitionState(entityId, null, ItemStore.empty());
  }

  @Override
  public boolean readOnly(PartitionCommand command) {
    return command instanceof PartitionCommand.Get || command instanceof PartitionCommand.Scan;
  }

  @Override
  public Outcome<PartitionEvent, PartitionState> decide(PartitionState state,
      PartitionCommand command) {
    if (command instanceof PartitionCommand.Init init) {
      if (state.keySchema() != null) {
        return Outcome.reply(new PartitionReply.Done());
      }
      return Outcome.persist(new PartitionEvent.Initialized(init.keySchema()),
          s -> new PartitionReply.Done());
    }
    if (state.keySchema() == null) {
      throw DynamoErrors.ResourceNotFoundException.exception("Requested resource not found");
    }
    if (command instanceof PartitionCommand.Get get) {
      return Outcome.reply(new PartitionReply.ItemReply(
          state.items().get(state.keySchema().keyOf(get.key()))));
    }
    if (command instanceof PartitionCommand.Scan scan) {
      return Outcome.reply(scan(state, scan));
    }
    if (command instanceof PartitionCommand.Put put) {
      Item item = put.item().checkSize();
      PrimaryKey key = state.keySchema().keyOfItem(item);
      Item old = state.items().get(key);
      return Outcome.persist(new PartitionEvent.ItemPut(key, item, put.nowMillis()),
          s -> new PartitionReply.ItemReply(put.returnOld() ? old : null));
    }
    if (command instanceof PartitionCommand.Delete delete) {
      PrimaryKey key = state.keySchema().keyOf(delete.key());
      Item old = state.items().get(key);
      if (old == null) {
        return Outcome.reply(new PartitionReply.ItemReply(null));
      }
      return Outcome.persist(new PartitionEvent.ItemDeleted(key, delete.nowMillis()),
          s -> new PartitionReply.ItemReply(delete.returnOld() ? old : null));
    }
    return Outcome.persist(new PartitionEvent.Dropped(), s -> new PartitionReply.Done());
  }

  private static PartitionReply.Page scan(PartitionState state, PartitionCommand.Scan scan) {
    var keys = state.keySchema();
    PrimaryKey start = scan.exclusiveStartKey() == null
        ? PrimaryKey.firstOfToken(scan.fromToken()) : keys.keyOf(scan.exclusiveStartKey());
    java.util.List<Item> page = new java.util.ArrayList<>();
    long bytes = 0;
    for (var e : state.items().from(start, scan.exclusiveStartKey() != null)) {
      if (e.getKey().token() > scan.toToken()) {
        break;
      }
      page.add(e.getValue());
      bytes += e.getValue().sizeBytes();
      if (page.size() >= scan.limit() || bytes >= scan.maxBytes()) {
        return new PartitionReply.Page(page, keys.asMap(e.getKey()));
      }
    }
    return new PartitionReply.Page(page, null);
  }

  @Override
  public PartitionState evolve(PartitionState s, PartitionEvent event) {
    if (event instanceof PartitionEvent.Initialized i) {
      return new PartitionState(s.entityId(), i.keySchema(), ItemStore.empty());
    }
    if (event instanceof PartitionEvent.ItemPut put) {
      return new PartitionState(s.entityId(), s.keySchema(), s.items().put(put.key(),
          put.item()));
    }
    if (event instanceof PartitionEvent.ItemDeleted d) {
      return new PartitionState(s.entityId(), s.keySchema(), s.items().remove(d.key()));
    }
    return new PartitionState(s.entityId(), null, ItemStore.empty());
  }
}
