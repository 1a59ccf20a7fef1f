package fabric.dynamo.table;

import fabric.core.entity.Outcome;
import fabric.core.entity.ResourceDefinition;
import fabric.dynamo.model.DynamoErrors;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * A DynamoDB table's control plane as one resource (entity id {@code <account>/<name>}):
 * its schema, status, partition map, TTL setting and tags. Items are in partition entities.
 */
public final class TableDefinition
    implements ResourceDefinition<TableCommand, TableEvent, TableState> {
  public static final EntityTypeKey<TableCommand> TYPE_KEY =
      EntityTypeKey.create(TableCommand.class, "Table");
  /** DynamoDB's limit on tags per resource. */
  public static final int MAX_TAGS = 50;

  @Override
  public EntityTypeKey<TableCommand> typeKey() {
    return TYPE_KEY;
  }

  @Override
  public TableState emptyState(String entityId) {
    return TableState.empty(entityId);
  }

  @Override
  public boolean readOnly(TableCommand command) {
    return command instanceof TableCommand.Describe;
  }

  private static String name(TableState state) {
    return state.entityId().substring(state.entityId().lastIndexOf('/') + 1);
  }

  @Override
  public Outcome<TableEvent, TableState> decide(TableState state, TableCommand command) {
    if (command instanceof TableCommand.Create create) {
      if (state.exists()) {
        throw DynamoErrors.ResourceInUseException.exception("Table already exists: "
            + name(state));
      }
      TableSpecs.check(create.spec());
      checkTags(create.tags());
      return Outcome.persist(new TableEvent.Created(create.region(), create.tableId(),
          create.spec(), List.of(new TableState.Partition("p0", Long.MIN_VALUE)),
          create.tags(), create.nowMillis()), TableReply.Description::new);
    }
    if (!state.exists()) {
      throw DynamoErrors.ResourceNotFoundException.exception("Requested resource not found: "
          + "Table: " + name(state) + " not found");
    }
    if (command instanceof TableCommand.Describe) {
      return Outcome.reply(new TableReply.Description(state));
    }
    if (command instanceof TableCommand.Activate activate) {
      return TableState.CREATING.equals(state.status())
          ? Outcome.persist(new TableEvent.Activated(activate.nowMillis()),
              TableReply.Description::new)
          : Outcome.reply(new TableReply.Description(state));
    }
    if (command instanceof TableCommand.Delete delete) {
      if (!state.replicas().isEmpty()) {
        throw DynamoErrors.validation("Table " + name(state) + " is a global table with "
            + "replicas in " + state.replicaRegions() + ": remove them first (UpdateTable "
            + "ReplicaUpdates Delete)");
      }
      if (TableState.CREATING.equals(state.status())) {
        throw DynamoErrors.ResourceInUseException.exception("Attempt to change a resource "
            + "which is still in use: Table is being created: " + name(state));
      }
      TableState deleting = state.with("DELETING", state.partitions(), state.ttlAttribute(),
          state.tags());
      return Outcome.persist(new TableEvent.Deleted(delete.nowMillis()),
          s -> new TableReply.Description(deleting));
    }
    if (command instanceof TableCommand.Split split) {
      boolean present = state.partitions().stream().anyMatch(p -> p.id().equals(split.parent()));
      return present ? Outcome.persist(new TableEvent.PartitionSplit(split.parent(),
          split.low(), split.high(), split.midToken(), split.parentEndingSeqNr(),
          split.nowMillis()), TableReply.Description::new)
          : Outcome.reply(new TableReply.Description(state)); // split before: a retry
    }
    if (command instanceof TableCommand.Update update) {
      if (!state.replicas().isEmpty() && update.streamViewType() != null
          && !update.streamViewType().equals(state.spec().streamViewType())) {
        throw DynamoErrors.validation("Table " + name(state) + " is a global table: its "
            + "stream must stay enabled with StreamViewType NEW_AND_OLD_IMAGES");
      }
      return Outcome.persist(new TableEvent.SpecChanged(TableSpecs.updated(state.spec(),
          update)), s -> new TableReply.Description(s.with("UPDATING", s.partitions(),
              s.ttlAttribute(), s.tags())));
    }
    if (command instanceof TableCommand.CreateGlobalIndex
        || command instanceof TableCommand.DeleteGlobalIndex
        || command instanceof TableCommand.UpdateGlobalIndex) {
      if (!TableState.ACTIVE.equals(state.status())) {
        throw DynamoErrors.ResourceInUseException.exception("Attempt to change a resource "
            + "which is still in use: Table is " + state.status() + ": " + name(state));
      }
      return Outcome.persist(new TableEvent.SpecChanged(TableSpecs.withGlobalIndexUpdate(
          state.spec(), command)), s -> new TableReply.Description(s.with("UPDATING",
              s.partitions(), s.ttlAttribute(), s.tags())));
    }
    if (command instanceof TableCommand.SetReplica set) {
      TableState.Replica now = state.replica(set.regionName());
      boolean same = set.status() == null ? now == null
          : now != null && now.status().equals(set.status());
      return same ? Outcome.reply(new TableReply.Description(state))
          : Outcome.persist(new TableEvent.ReplicaSet(set.regionName(), set.status(),
              set.nowMillis()), TableReply.Description::new);
    }
    if (command instanceof TableCommand.UpdateTimeToLive ttl) {
      if (ttl.enabled() && state.ttlAttribute() != null) {
        throw DynamoErrors.validation("TimeToLive is already enabled");
      }
      if (!ttl.enabled() && state.ttlAttribute() == null) {
        throw DynamoErrors.validation("TimeToLive is already disabled");
      }
      if (ttl.attributeName() == null || ttl.attributeName().isEmpty()) {
        throw DynamoErrors.validation("1 validation error detected: Value null at "
            + "'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member "
            + "must not be null");
      }
      return Outcome.persist(new TableEvent.TimeToLiveSet(ttl.enabled() ? ttl.attributeName()
          : null), TableReply.Description::new);
    }
    Map<String, String> tags = new TreeMap<>(state.tags());
    if (command instanceof TableCommand.Tag tag) {
      tags.putAll(tag.tags());
      checkTags(tags);
    } else {
      ((TableCommand.Untag) command).keys().forEach(tags::remove);
    }
    return Outcome.persist(new TableEvent.TagsSet(tags), TableReply.Description::new);
  }

  private static void checkTags(Map<String, String> tags) {
    if (tags.size() > MAX_TAGS) {
      throw DynamoErrors.validation("One or more parameter values were invalid: The number "
          + "of tags exceeds the limit of " + MAX_TAGS);
    }
    tags.forEach((k, v) -> {
      if (k.isEmpty() || k.length() > 128 || v.length() > 256 || k.startsWith("aws:")) {
        throw DynamoErrors.validation("One or more parameter values were invalid: tag key "
            + "must be 1-128 characters and not start with aws:, value at most 256: " + k);
      }
    });
  }

  @Override
  public TableState evolve(TableState s, TableEvent event) {
    if (event instanceof TableEvent.Created c) {
      return new TableState(s.entityId(), c.region(), c.tableId(), c.spec(),
          TableState.CREATING, c.atMillis(), c.partitions(), null, c.tags(), 0, List.of(),
          List.of());
    }
    if (event instanceof TableEvent.Activated) {
      return s.with(TableState.ACTIVE, s.partitions(), s.ttlAttribute(), s.tags());
    }
    if (event instanceof TableEvent.Deleted d) {
      return new TableState(s.entityId(), null, null, null, null, 0, List.of(), null, Map.of(),
          d.atMillis(), List.of(), List.of());
    }
    if (event instanceof TableEvent.PartitionSplit split) {
      List<TableState.Partition> map = new java.util.ArrayList<>();
      TableState.ClosedPartition closed = null;
      for (TableState.Partition p : s.partitions()) {
        if (p.id().equals(split.parent())) {
          map.add(new TableState.Partition(split.low(), p.fromToken()));
          map.add(new TableState.Partition(split.high(), split.midToken()));
          closed = new TableState.ClosedPartition(p.id(), p.fromToken(),
              split.parentEndingSeqNr(), split.atMillis());
        } else {
          map.add(p);
        }
      }
      return new TableState(s.entityId(), s.region(), s.tableId(), s.spec(), s.status(),
          s.createdAtMillis(), map, s.ttlAttribute(), s.tags(), s.deletedAtMillis(),
          fabric.dynamo.stream.StreamShards.closedAfterSplit(s.closedPartitions(), closed),
          s.replicas());
    }
    if (event instanceof TableEvent.SpecChanged c) {
      return new TableState(s.entityId(), s.region(), s.tableId(), c.spec(), s.status(),
          s.createdAtMillis(), s.partitions(), s.ttlAttribute(), s.tags(), s.deletedAtMillis(),
          s.closedPartitions(), s.replicas());
    }
    if (event instanceof TableEvent.ReplicaSet r) {
      List<TableState.Replica> replicas = new java.util.ArrayList<>();
      for (TableState.Replica replica : s.replicas()) {
        if (!replica.regionName().equals(r.regionName())) {
          replicas.add(replica);
        }
      }
      if (r.status() != null) {
        replicas.add(new TableState.Replica(r.regionName(), r.status(), r.atMillis()));
      }
      replicas.sort(java.util.Comparator.comparing(TableState.Replica::regionName));
      return s.withReplicas(replicas);
    }
    if (event instanceof TableEvent.TimeToLiveSet t) {
      return s.with(s.status(), s.partitions(), t.attributeName(), s.tags());
    }
    return s.with(s.status(), s.partitions(), s.ttlAttribute(), ((TableEvent.TagsSet) event)
        .tags());
  }
}
