package fabric.dynamo.partition;

import fabric.core.entity.Outcome;
import fabric.core.entity.ResourceDefinition;
import fabric.dynamo.model.DynamoErrors;
import fabric.dynamo.model.Item;
import fabric.dynamo.model.PrimaryKey;
import java.util.List;
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
  private final CapacityThrottle throttle;
  /** Told on the leader, every tick, of a global table's partition (its feeds to the other
   *  regions run outside the entity: {@code GlobalReplicator}); null: nobody. */
  private final java.util.function.Consumer<PartitionState> globalTick;

  /** Default capacity limits, no global-table feeds (entity tests, journal readers). */
  public PartitionDefinition() {
    this(CapacityLimits.DEFAULT, null);
  }

  public PartitionDefinition(CapacityLimits limits,
      java.util.function.Consumer<PartitionState> globalTick) {
    this.throttle = new CapacityThrottle(limits);
    this.globalTick = globalTick;
  }

  @Override
  public EntityTypeKey<PartitionCommand> typeKey() {
    return TYPE_KEY;
  }

  /** How often a partition leader sweeps for expired items (DynamoDB: "within days"). */
  static final java.time.Duration TTL_SWEEP_INTERVAL = java.time.Duration.ofSeconds(5);
  static final int MAX_EXPIRED_PER_SWEEP = 100;
  /** DynamoDB ignores TTL values more than five years in the past. */
  static final long TTL_HORIZON_SECONDS = 5L * 365 * 24 * 3600;

  /** Fewest events between two snapshots of a small partition. */
  static final long MIN_SNAPSHOT_EVERY_EVENTS = 1_024;

  /**
   * A snapshot is the whole item tree (up to the split size), so a partition snapshots every
   * max(1,024, its size in KiB rounded up to a power of two) events: a snapshot then costs
   * about 1 KiB of state per event since the last one, and recovery replays at most that
   * many events (262,144 at the default 256 MiB split size). Powers of two keep the
   * snapshot points nested as the partition grows.
   */
  @Override
  public long snapshotEveryEvents(PartitionState state) {
    long kib = state.items().sizeBytes() / 1024;
    return Math.max(MIN_SNAPSHOT_EVERY_EVENTS,
        kib <= 1 ? 1 : Long.highestOneBit(kib - 1) << 1);
  }

  @Override
  public java.time.Duration tickInterval() {
    return TTL_SWEEP_INTERVAL;
  }

  /** A sweep when TTL is on and something has expired (else no command, no write). */
  @Override
  public PartitionCommand tick(PartitionState state, long nowMillis,
      org.apache.pekko.actor.typed.ActorRef<fabric.core.entity.Reply> replyTo) {
    if (globalTick != null && state.global() != null && !state.global().peers().isEmpty()) {
      globalTick.accept(state); // a wake-up only: the feed reads the journal itself
    }
    long nowSeconds = nowMillis / 1_000;
    // A frozen partition's items are already copied to its children: they expire there.
    return state.ttlAttribute() == null || state.split() != null
        || state.items().expired(nowSeconds, nowSeconds - TTL_HORIZON_SECONDS, 1).isEmpty()
        ? null
        : new PartitionCommand.Expire(nowMillis, replyTo);
  }

  @Override
  public PartitionState emptyState(String entityId) {
    return PartitionState.empty(entityId);
  }

  @Override
  public boolean readOnly(PartitionCommand command) {
    return command instanceof PartitionCommand.Get || command instanceof PartitionCommand.Scan
        || command instanceof PartitionCommand.GetMany
        || command instanceof PartitionCommand.Query
        || command instanceof PartitionCommand.Position
        || command instanceof PartitionCommand.ReplicaPage;
  }

  @Override
  public Outcome<PartitionEvent, PartitionState> decide(PartitionState state,
      PartitionCommand command) {
    if (command instanceof PartitionCommand.Init init) {
      if (state.keySchema() != null) {
        return Outcome.reply(new PartitionReply.Done());
      }
      return Outcome.persist(new PartitionEvent.Initialized(init.keySchema(),
          init.localIndexes(), init.writeUnitsPerSecond() > 0 ? WriteCapacity.provisioned(init.writeUnitsPerSecond(),
              init.nowMillis()) : WriteCapacity.ON_DEMAND, init.streamViewType()),
          s -> new PartitionReply.Done());
    }
    if (state.keySchema() == null) {
      throw DynamoErrors.ResourceNotFoundException.exception("Requested resource not found");
    }
    if (command instanceof PartitionCommand.Reconfigure re) {
      WriteCapacity capacity = re.writeUnitsPerSecond() > 0
          ? WriteCapacity.provisioned(re.writeUnitsPerSecond(), re.nowMillis())
          : WriteCapacity.ON_DEMAND;
      return Outcome.persist(new PartitionEvent.Reconfigured(capacity, re.streamViewType()),
          s -> new PartitionReply.Done());
    }
    if (command instanceof PartitionCommand.SetTimeToLive ttl) {
      return java.util.Objects.equals(ttl.attributeName(), state.ttlAttribute())
          ? Outcome.reply(new PartitionReply.Done())
          : Outcome.persist(new PartitionEvent.TimeToLiveSet(ttl.attributeName()),
              s -> new PartitionReply.Done());
    }
    if (command instanceof PartitionCommand.Expire expire) {
      long nowSeconds = expire.nowMillis() / 1_000;
      var expired = state.items().expired(nowSeconds, nowSeconds - TTL_HORIZON_SECONDS,
          MAX_EXPIRED_PER_SWEEP);
      return expired.isEmpty() ? Outcome.reply(new PartitionReply.Done())
          : Outcome.persist(new PartitionEvent.ItemsExpired(expired, state.streamed()
              ? expired.stream().map(state.items()::get).toList() : null,
              PartitionGlobal.stamp(state, expired, expire.nowMillis())),
              s -> new PartitionReply.Done());
    }
    if (command instanceof PartitionCommand.Position) {
      return Outcome.reply(new PartitionReply.Position(state.appliedEvents(),
          state.items().count(), state.items().sizeBytes()));
    }
    if (command instanceof PartitionCommand.Get get) {
      long now = System.currentTimeMillis();
      throttle.admitRead(state.entityId(), get.charge(), now);
      PartitionReply.ItemReply reply = PartitionReads.get(state, get);
      throttle.chargeRead(state.entityId(), get.charge(), reply.capacityUnits(), now);
      return Outcome.reply(reply);
    }
    if (command instanceof PartitionCommand.GetMany many) {
      return Outcome.reply(new PartitionReply.ItemReplies(many.gets().stream()
          .map(get -> PartitionReads.get(state, get)).toList(), state.split() != null));
    }
    if (command instanceof PartitionCommand.Scan scan) {
      long now = System.currentTimeMillis();
      throttle.admitRead(state.entityId(), scan.charge(), now);
      PartitionReply.Page page = PartitionReads.scan(state, scan);
      page = state.split() != null ? page.asFrozen() : page;
      throttle.chargeRead(state.entityId(), scan.charge(),
          CapacityThrottle.pageUnits(page.scannedBytes()), now);
      return Outcome.reply(page);
    }
    if (command instanceof PartitionCommand.Query query) {
      long now = System.currentTimeMillis();
      throttle.admitRead(state.entityId(), query.charge(), now);
      PartitionReply.Page page = PartitionReads.query(state, query);
      page = state.split() != null ? page.asFrozen() : page;
      throttle.chargeRead(state.entityId(), query.charge(),
          CapacityThrottle.pageUnits(page.scannedBytes()), now);
      return Outcome.reply(page);
    }
    if (command instanceof PartitionCommand.Freeze freeze) {
      if (state.split() != null) {
        return Outcome.reply(new PartitionReply.Done()); // frozen before: a retry
      }
      if (!state.locks().toList().isEmpty()) {
        throw fabric.core.error.CommonErrors.ServiceUnavailable.exception("a transaction "
            + "holds items of this partition; split later");
      }
      return Outcome.persist(new PartitionEvent.Frozen(freeze.low(), freeze.high(),
          freeze.midToken(), freeze.nowMillis()), s -> new PartitionReply.Done());
    }
    if (command instanceof PartitionCommand.Load load) {
      // A split's copy never overwrites: an item the child has was written after the table
      // flipped to the children (newer than the frozen parent's), and a late second copy
      // (a node finishing a split it thought unfinished) must not take it back.
      List<Item> absent = load.items().stream()
          .filter(i -> state.items().get(state.keySchema().keyOfItem(i)) == null).toList();
      return absent.isEmpty() ? Outcome.reply(new PartitionReply.Done())
          : Outcome.persist(new PartitionEvent.Loaded(absent), s -> new PartitionReply.Done());
    }
    if (state.split() != null && isWrite(command)) {
      throw fabric.core.error.CommonErrors.ServiceUnavailable.exception("partition is "
          + "splitting (into " + state.split().low() + " and " + state.split().high()
          + "); retry");
    }
    if (PartitionGlobal.handles(command)) {
      return PartitionGlobal.decide(state, command);
    }
    if (command instanceof PartitionCommand.PrepareTx prepare) {
      return PartitionTransactions.prepare(state, prepare);
    }
    if (command instanceof PartitionCommand.CommitTx commit) {
      return PartitionTransactions.commit(state, commit);
    }
    if (command instanceof PartitionCommand.AbortTx abort) {
      return PartitionTransactions.abort(state, abort);
    }
    if (command instanceof PartitionCommand.Put put) {
      return onDemandCeiling(state, put.nowMillis(), PartitionWrites.put(state, put));
    }
    if (command instanceof PartitionCommand.Update update) {
      return onDemandCeiling(state, update.nowMillis(), PartitionWrites.update(state, update));
    }
    if (command instanceof PartitionCommand.Delete delete) {
      return onDemandCeiling(state, delete.nowMillis(), PartitionWrites.delete(state, delete));
    }
    return Outcome.persist(new PartitionEvent.Dropped(), s -> new PartitionReply.Done());
  }

  /** An on-demand partition's writes past the ceiling throttle ({@link CapacityThrottle});
   *  the units are those the write's events carry. */
  private Outcome<PartitionEvent, PartitionState> onDemandCeiling(PartitionState state,
      long nowMillis, Outcome<PartitionEvent, PartitionState> outcome) {
    if (state.capacity().perSecond() > 0 || !(outcome instanceof Outcome.Persist<PartitionEvent,
        PartitionState> persist)) {
      return outcome;
    }
    throttle.admitOnDemandWrite(state.entityId(), nowMillis);
    double units = 0;
    for (PartitionEvent e : persist.events()) {
      units += e instanceof PartitionEvent.ItemPut p ? p.units()
          : e instanceof PartitionEvent.ItemDeleted d ? d.units() : 0;
    }
    throttle.chargeOnDemandWrite(state.entityId(), units, nowMillis);
    return outcome;
  }

  private static boolean isWrite(PartitionCommand c) {
    return c instanceof PartitionCommand.Put || c instanceof PartitionCommand.Update
        || c instanceof PartitionCommand.Delete || c instanceof PartitionCommand.PrepareTx
        || c instanceof PartitionCommand.Expire || c instanceof PartitionCommand.ApplyReplica;
  }

  @Override
  public PartitionState evolve(PartitionState before, PartitionEvent event) {
    if (event instanceof PartitionEvent.GlobalSet || event instanceof PartitionEvent.ReplicaApplied
        || event instanceof PartitionEvent.ReplicaShipped) {
      return PartitionGlobal.evolve(before.counted(), event);
    }
    return PartitionGlobal.evolve(evolveItems(before, event), event);
  }

  private PartitionState evolveItems(PartitionState before, PartitionEvent event) {
    PartitionState s = before.counted();
    if (event instanceof PartitionEvent.Initialized i) {
      return new PartitionState(s.entityId(), i.keySchema(), i.localIndexes(),
          i.streamViewType(), null, ItemStore.empty(), i.capacity(), s.appliedEvents(),
          TxLocks.empty(), null);
    }
    if (event instanceof PartitionEvent.TxPrepared || event instanceof PartitionEvent.TxCommitted
        || event instanceof PartitionEvent.TxAborted) {
      return PartitionTransactions.evolve(s, event);
    }
    if (event instanceof PartitionEvent.Frozen f) {
      return s.frozen(new PartitionState.Split(f.low(), f.high(), f.midToken(), f.atMillis()));
    }
    if (event instanceof PartitionEvent.Loaded l) {
      ItemStore items = s.items();
      for (Item item : l.items()) {
        items = items.put(s.keySchema().keyOfItem(item), item, s.appliedEvents());
      }
      return s.with(items, s.capacity());
    }
    if (event instanceof PartitionEvent.Reconfigured r) {
      return new PartitionState(s.entityId(), s.keySchema(), s.localIndexes(),
          r.streamViewType(), s.ttlAttribute(), s.items(), r.capacity(), s.appliedEvents(),
          s.locks(), s.split(), s.global());
    }
    if (event instanceof PartitionEvent.TimeToLiveSet t) {
      return s.withTtl(t.attributeName());
    }
    if (event instanceof PartitionEvent.ItemsExpired x) {
      ItemStore items = s.items();
      for (PrimaryKey key : x.keys()) {
        items = items.remove(key, s.appliedEvents());
      }
      return s.with(items, s.capacity());
    }
    if (event instanceof PartitionEvent.ItemPut put) {
      return s.with(s.items().put(put.key(), put.item(), s.appliedEvents()),
          s.capacity().consume(put.units(), put.atMillis()));
    }
    if (event instanceof PartitionEvent.ItemDeleted d) {
      return s.with(s.items().remove(d.key(), s.appliedEvents()), s.capacity().consume(d.units(), d.atMillis()));
    }
    PartitionState dropped = PartitionState.empty(s.entityId());
    return new PartitionState(dropped.entityId(), null, List.of(), null, null,
        ItemStore.empty(), WriteCapacity.ON_DEMAND, s.appliedEvents(), TxLocks.empty(), null);
  }
}
