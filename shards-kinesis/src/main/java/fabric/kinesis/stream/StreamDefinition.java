package fabric.kinesis.stream;

import fabric.core.entity.Outcome;
import fabric.core.entity.Reply;
import fabric.core.entity.ResourceDefinition;
import fabric.kinesis.model.HashKeys;
import fabric.kinesis.model.KinesisErrors;
import fabric.kinesis.model.ShardIds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * A Kinesis stream's control plane as one resource: status, mode, retention, the shard map
 * with its lineage, reshards, consumers and tags. Records are in shard entities; the
 * service drives the steps that involve them (opening shards, closing a reshard's parents)
 * and reports back here, each step idempotent.
 */
public final class StreamDefinition
    implements ResourceDefinition<StreamCommand, StreamEvent, StreamState> {
  public static final EntityTypeKey<StreamCommand> TYPE_KEY =
      EntityTypeKey.create(StreamCommand.class, "KinesisStream");
  /** How often the leader looks for closed shards whose records all expired. */
  static final Duration EXPIRY_INTERVAL = Duration.ofMinutes(1);
  /** AWS: an on-demand stream starts with 4 shards. */
  public static final int ON_DEMAND_SHARDS = StreamRules.ON_DEMAND_SHARDS;
  private final int maxOpenShards;
  private final java.time.Clock clock;

  /** @param maxOpenShards open shards one stream may have: the account's quota, which the
   *      service checks across the account's streams before it creates or splits; this is
   *      the bound that holds within the entity alone */
  public StreamDefinition(int maxOpenShards) {
    this(maxOpenShards, java.time.Clock.systemUTC());
  }

  /** @param clock the node's clock: the expiry tick reads it, so tests can move time */
  public StreamDefinition(int maxOpenShards, java.time.Clock clock) {
    this.maxOpenShards = maxOpenShards;
    this.clock = clock;
  }

  @Override
  public java.time.Clock tickClock() {
    return clock;
  }

  @Override
  public EntityTypeKey<StreamCommand> typeKey() {
    return TYPE_KEY;
  }

  @Override
  public StreamState emptyState(String entityId) {
    return StreamState.empty(entityId);
  }

  @Override
  public boolean readOnly(StreamCommand command) {
    return command instanceof StreamCommand.Describe;
  }

  @Override
  public Duration tickInterval() {
    return EXPIRY_INTERVAL;
  }

  @Override
  public StreamCommand tick(StreamState state, long nowMillis, ActorRef<Reply> replyTo) {
    return state.exists() && !expired(state, nowMillis).isEmpty()
        ? new StreamCommand.ExpireShards(nowMillis, replyTo) : null;
  }

  /** Closed shards whose last record is past retention. */
  static List<String> expired(StreamState state, long nowMillis) {
    List<String> out = new ArrayList<>();
    for (StreamShard s : state.shards()) {
      if (!s.open() && s.closedAtMillis() + state.retentionHours() * 3_600_000L < nowMillis) {
        out.add(s.shardId());
      }
    }
    return out;
  }

  private static Outcome<StreamEvent, StreamState> persist(StreamEvent event) {
    return Outcome.persist(event, StreamReply.Description::new);
  }

  private static Outcome<StreamEvent, StreamState> unchanged(StreamState state) {
    return Outcome.reply(new StreamReply.Description(state));
  }

  @Override
  public Outcome<StreamEvent, StreamState> decide(StreamState state, StreamCommand command) {
    if (command instanceof StreamCommand.Create create) {
      return create(state, create);
    }
    if (!state.exists()) {
      throw notFound(state);
    }
    if (command instanceof StreamCommand.Describe) {
      return unchanged(state);
    }
    if (command instanceof StreamCommand.Activate a) {
      return StreamState.CREATING.equals(state.status())
          ? persist(new StreamEvent.Activated(a.nowMillis())) : unchanged(state);
    }
    if (command instanceof StreamCommand.Delete delete) {
      if (!delete.enforceConsumerDeletion() && !state.consumers().isEmpty()) {
        throw KinesisErrors.ResourceInUseException.exception("Stream " + state.name()
            + " has registered consumers: deregister them or set EnforceConsumerDeletion.");
      }
      // Answered with the stream as it was: the service deletes its shards next.
      return Outcome.persist(new StreamEvent.Deleted(delete.nowMillis()),
          s -> new StreamReply.Description(state));
    }
    if (command instanceof StreamCommand.ShardClosed closed) {
      return shardClosed(state, closed);
    }
    if (command instanceof StreamCommand.ExpireShards expire) {
      List<String> gone = expired(state, expire.nowMillis());
      return gone.isEmpty() ? unchanged(state) : persist(new StreamEvent.ShardsExpired(gone));
    }
    if (command instanceof StreamCommand.ActivateConsumer a) {
      Consumer c = consumer(state, a.name());
      return c != null && "CREATING".equals(c.status())
          ? persist(new StreamEvent.ConsumerActivated(a.name())) : unchanged(state);
    }
    if (command instanceof StreamCommand.DeregisterConsumer d) {
      if (consumer(state, d.name()) == null) {
        throw KinesisErrors.ResourceNotFoundException.exception("Consumer " + d.name()
            + " under stream " + state.name() + " not found.");
      }
      return persist(new StreamEvent.ConsumerDeregistered(d.name()));
    }
    // Everything below changes the stream: only an ACTIVE one, as AWS.
    if (!StreamState.ACTIVE.equals(state.status())) {
      throw KinesisErrors.ResourceInUseException.exception("Stream " + state.name()
          + " under account " + account(state) + " not ACTIVE, instead in state "
          + state.status());
    }
    if (command instanceof StreamCommand.SetRetention set) {
      StreamRules.retention(set.retentionHours(), state.name(), state.retentionHours(),
          set.increase());
      return set.retentionHours() == state.retentionHours() ? unchanged(state)
          : persist(new StreamEvent.RetentionChanged(set.retentionHours()));
    }
    if (command instanceof StreamCommand.SetMode set) {
      String mode = StreamRules.mode(set.mode());
      return mode.equals(state.mode()) ? unchanged(state)
          : persist(new StreamEvent.ModeChanged(mode));
    }
    if (command instanceof StreamCommand.Tag tag) {
      StreamRules.tags(state.tags(), tag.tags(), List.of());
      Map<String, String> tags = new TreeMap<>(state.tags());
      tags.putAll(tag.tags());
      return persist(new StreamEvent.TagsChanged(tags));
    }
    if (command instanceof StreamCommand.Untag untag) {
      Map<String, String> tags = new TreeMap<>(state.tags());
      untag.keys().forEach(tags::remove);
      return persist(new StreamEvent.TagsChanged(tags));
    }
    if (command instanceof StreamCommand.Split split) {
      return Reshards.split(state, split, maxOpenShards);
    }
    if (command instanceof StreamCommand.Merge merge) {
      return Reshards.merge(state, merge);
    }
    if (command instanceof StreamCommand.StartScaling start) {
      return startScaling(state, start);
    }
    if (command instanceof StreamCommand.RegisterConsumer register) {
      return registerConsumer(state, register);
    }
    throw new IllegalArgumentException("unknown stream command " + command);
  }

  private Outcome<StreamEvent, StreamState> create(StreamState state,
      StreamCommand.Create create) {
    if (state.exists()) {
      throw KinesisErrors.ResourceInUseException.exception("Stream " + state.name()
          + " under account " + account(state) + " already exists.");
    }
    String mode = StreamRules.mode(create.mode());
    int count = StreamRules.ON_DEMAND.equals(mode) ? StreamRules.ON_DEMAND_SHARDS
        : create.shardCount();
    StreamRules.shardCount(count, maxOpenShards);
    StreamRules.tags(Map.of(), create.tags(), List.of());
    List<StreamShard> shards = new ArrayList<>(count);
    List<HashKeys.Range> ranges = HashKeys.uniform(count);
    for (int i = 0; i < count; i++) {
      shards.add(new StreamShard(ShardIds.of(i), ranges.get(i).start().toString(),
          ranges.get(i).end().toString(), null, null, create.nowMillis(), 0, -1));
    }
    return persist(new StreamEvent.Created(create.arn(), mode,
        StreamRules.MIN_RETENTION_HOURS, shards, create.tags(), create.nowMillis()));
  }

  private static Outcome<StreamEvent, StreamState> shardClosed(StreamState state,
      StreamCommand.ShardClosed closed) {
    StreamState.Reshard reshard = state.reshard();
    StreamShard shard = state.shard(closed.shardId());
    if (reshard == null || shard == null || !shard.open()
        || !reshard.closing().contains(closed.shardId())) {
      return unchanged(state); // a retry of a step already taken
    }
    List<StreamEvent> events = new ArrayList<>();
    events.add(new StreamEvent.ShardClosed(closed.shardId(), closed.lastRecordNumber(),
        Math.max(1, closed.nowMillis())));
    boolean last = reshard.closing().stream().filter(id -> !id.equals(closed.shardId()))
        .allMatch(id -> !state.shard(id).open());
    if (last) {
      events.add(new StreamEvent.ReshardFinished(closed.nowMillis()));
    }
    return Outcome.persistAll(events, StreamReply.Description::new);
  }

  private static Outcome<StreamEvent, StreamState> startScaling(StreamState state,
      StreamCommand.StartScaling start) {
    List<Long> recent = state.scalingsSince(start.nowMillis());
    if (recent.size() >= StreamRules.MAX_SCALINGS_PER_DAY) {
      long again = recent.get(0) + StreamRules.SCALING_WINDOW_MILLIS;
      throw KinesisErrors.LimitExceededException.exception("Stream " + state.name()
          + " under account " + account(state) + " was scaled "
          + StreamRules.MAX_SCALINGS_PER_DAY + " times in the last 24 hours, the most "
          + "UpdateShardCount allows; the next call is accepted from "
          + java.time.Instant.ofEpochMilli(again) + ".");
    }
    return persist(new StreamEvent.ScalingStarted(start.nowMillis()));
  }

  private static Outcome<StreamEvent, StreamState> registerConsumer(StreamState state,
      StreamCommand.RegisterConsumer register) {
    if (consumer(state, register.name()) != null) {
      throw KinesisErrors.ResourceInUseException.exception("Consumer " + register.name()
          + " under stream " + state.name() + " already exists.");
    }
    if (state.consumers().size() >= StreamRules.MAX_CONSUMERS) {
      throw KinesisErrors.LimitExceededException.exception("Stream " + state.name()
          + " has " + StreamRules.MAX_CONSUMERS + " consumers, the most it may have.");
    }
    return persist(new StreamEvent.ConsumerRegistered(new Consumer(register.name(),
        register.arn(), "CREATING", register.nowMillis())));
  }

  static Consumer consumer(StreamState state, String name) {
    return state.consumers().stream().filter(c -> c.name().equals(name)).findFirst()
        .orElse(null);
  }

  static String account(StreamState state) {
    return state.entityId().substring(0, state.entityId().indexOf('/'));
  }

  static RuntimeException notFound(StreamState state) {
    return KinesisErrors.ResourceNotFoundException.exception("Stream " + state.name()
        + " under account " + account(state) + " not found.");
  }

  @Override
  public StreamState evolve(StreamState s, StreamEvent event) {
    if (event instanceof StreamEvent.Created c) {
      return new StreamState(s.entityId(), c.arn(), StreamState.CREATING, c.mode(),
          c.retentionHours(), c.atMillis(), c.shards(), c.shards().size(), List.of(),
          c.tags(), null, List.of());
    }
    if (event instanceof StreamEvent.Activated) {
      return s.with(StreamState.ACTIVE, s.shards(), s.nextShardIndex(), null);
    }
    if (event instanceof StreamEvent.Deleted) {
      return StreamState.empty(s.entityId());
    }
    if (event instanceof StreamEvent.RetentionChanged r) {
      return s.withRetention(r.retentionHours());
    }
    if (event instanceof StreamEvent.ModeChanged m) {
      return s.withMode(m.mode());
    }
    if (event instanceof StreamEvent.TagsChanged t) {
      return s.withTags(t.tags());
    }
    if (event instanceof StreamEvent.ReshardStarted r) {
      List<StreamShard> shards = new ArrayList<>(s.shards());
      shards.addAll(r.opening());
      return s.with(StreamState.UPDATING, shards, s.nextShardIndex() + r.opening().size(),
          new StreamState.Reshard(r.closing(), r.opening().stream().map(StreamShard::shardId)
              .toList(), r.atMillis()));
    }
    if (event instanceof StreamEvent.ShardClosed c) {
      return s.with(s.status(), s.shards().stream().map(x -> x.shardId().equals(c.shardId())
          ? x.closed(c.atMillis(), c.lastRecordNumber()) : x).toList(), s.nextShardIndex(),
          s.reshard());
    }
    if (event instanceof StreamEvent.ReshardFinished) {
      return s.with(StreamState.ACTIVE, s.shards(), s.nextShardIndex(), null);
    }
    if (event instanceof StreamEvent.ShardsExpired e) {
      return s.with(s.status(), s.shards().stream().filter(x -> !e.shardIds().contains(
          x.shardId())).toList(), s.nextShardIndex(), s.reshard());
    }
    if (event instanceof StreamEvent.ScalingStarted started) {
      // Only the window's calls are kept, so the list never outgrows the limit.
      List<Long> scalings = new ArrayList<>(s.scalingsSince(started.atMillis()));
      scalings.add(started.atMillis());
      return s.withScalings(scalings);
    }
    if (event instanceof StreamEvent.ConsumerRegistered r) {
      List<Consumer> consumers = new ArrayList<>(s.consumers());
      consumers.add(r.consumer());
      return s.withConsumers(consumers);
    }
    if (event instanceof StreamEvent.ConsumerActivated a) {
      return s.withConsumers(s.consumers().stream().map(c -> c.name().equals(a.name())
          ? new Consumer(c.name(), c.arn(), "ACTIVE", c.createdMillis()) : c).toList());
    }
    if (event instanceof StreamEvent.ConsumerDeregistered d) {
      return s.withConsumers(s.consumers().stream().filter(c -> !c.name().equals(d.name()))
          .toList());
    }
    throw new IllegalArgumentException("unknown stream event " + event);
  }
}
