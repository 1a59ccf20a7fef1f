package fabric.kinesis.service;

import fabric.core.entity.EntityClient;
import fabric.core.entity.Reply;
import fabric.core.index.NameIndexDefinition;
import fabric.kinesis.model.KinesisErrors;
import fabric.kinesis.model.StreamNames;
import fabric.kinesis.shard.ShardCommand;
import fabric.kinesis.shard.ShardDefinition;
import fabric.kinesis.shard.ShardReply;
import fabric.kinesis.stream.StreamCommand;
import fabric.kinesis.stream.StreamDefinition;
import fabric.kinesis.stream.StreamReply;
import fabric.kinesis.stream.StreamShard;
import fabric.kinesis.stream.StreamState;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kinesis on one node: stream name → stream entity → shard entities. Drives the steps that
 * span entities (opening a new stream's shards, a reshard's children and parents), each
 * idempotent, so whoever finds a step undone (a put to a closed shard, a describe of a
 * stream stuck CREATING or UPDATING) finishes it. Stream descriptions are cached for 1 s
 * for routing; a shard that answers "closed" drops the entry.
 */
public final class KinesisService {
  private static final Logger log = LoggerFactory.getLogger(KinesisService.class);
  public static final NameIndexDefinition STREAM_NAMES =
      new NameIndexDefinition("AccountStreams");
  /** How long a description serves routing before it is asked again. */
  static final long CACHE_MILLIS = 1_000;
  /** A step of a creation or reshard not finished after this is finished by whoever finds
   *  it (its driver is presumed gone). */
  static final long STUCK_MILLIS = 10_000;
  /** AWS: ListStreams answers at most 10,000 names a page (100 by default). */
  static final int MAX_LIST_STREAMS = 10_000;

  private final EntityClient entities;
  private final String region;
  private final Clock clock;
  private final KinesisSettings settings;
  private final Map<String, Cached> streams = new ConcurrentHashMap<>();

  private record Cached(StreamState stream, long atMillis) {}

  public KinesisService(EntityClient entities, String region, Clock clock,
      KinesisSettings settings) {
    this.entities = entities;
    this.region = region;
    this.clock = clock;
    this.settings = settings;
  }

  public String region() {
    return region;
  }

  Clock clock() {
    return clock;
  }

  EntityClient entities() {
    return entities;
  }

  KinesisSettings settings() {
    return settings;
  }

  /** The stream a request names by StreamName and/or StreamARN. */
  public StreamId stream(String account, String name, String arn) {
    StreamNames.StreamRef ref = StreamNames.resolve(name, arn, region, account);
    return new StreamId(ref.region(), account, ref.name());
  }

  CompletionStage<StreamState> ask(StreamId id,
      Function<ActorRef<Reply>, StreamCommand> command) {
    return entities.ask(StreamDefinition.TYPE_KEY, id.entityId(), command::apply,
        StreamReply.Description.class).thenApply(d -> {
          streams.put(id.entityId(), new Cached(d.stream(), clock.millis()));
          return d.stream();
        });
  }

  /** The stream for routing: cached up to 1 s; ACTIVE or UPDATING, else an AWS error. */
  CompletionStage<StreamState> routable(StreamId id) {
    Cached cached = streams.get(id.entityId());
    CompletionStage<StreamState> stream = cached != null
        && clock.millis() - cached.atMillis() < CACHE_MILLIS
        ? CompletableFuture.completedFuture(cached.stream())
        : ask(id, StreamCommand.Describe::new);
    return stream.thenApply(s -> {
      if (StreamState.CREATING.equals(s.status())) {
        throw KinesisErrors.ResourceNotFoundException.exception("Stream " + id.name()
            + " under account " + id.account() + " not ACTIVE, instead in state CREATING");
      }
      return s;
    });
  }

  void forget(StreamId id) {
    streams.remove(id.entityId());
  }

  // ------------------------------------------------------------------ streams

  /** CreateStream: the stream is ACTIVE once its shards are open (answered before that
   *  only when opening them failed: a later describe finishes it). Refused with
   *  LimitExceededException, nothing created, past the account's shard quota
   *  ({@link AccountShards}: bounded, not exact, under concurrent creates). */
  public CompletionStage<StreamState> createStream(String account, String name, String mode,
      int shardCount, Map<String, String> tags) {
    StreamId id = new StreamId(region, account, StreamNames.check(name, "streamName"));
    int count = "ON_DEMAND".equals(mode) ? StreamDefinition.ON_DEMAND_SHARDS : shardCount;
    CompletionStage<?> quota = count < 1 // the entity answers the ValidationException
        ? CompletableFuture.completedFuture(null)
        : AccountShards.reserve(this, account, count, "CreateStream " + id.name());
    return quota.thenCompose(q -> ask(id, r -> new StreamCommand.Create(id.arn(), mode, shardCount, tags,
        clock.millis(), r))
        .thenCompose(created -> names(id, r -> new NameIndexDefinition.Register(id.name(), r))
            .thenCompose(registered -> activate(id, created))));
  }

  private CompletionStage<NameIndexDefinition.Done> names(StreamId id,
      Function<ActorRef<Reply>, NameIndexDefinition.Command> command) {
    return entities.ask(STREAM_NAMES.typeKey(), id.account() + "/" + id.region(),
        command::apply, NameIndexDefinition.Done.class);
  }

  private CompletionStage<StreamState> activate(StreamId id, StreamState stream) {
    return CompletableFuture.allOf(stream.shards().stream()
        .map(s -> open(id, stream, s).toCompletableFuture())
        .toArray(CompletableFuture[]::new))
        .thenCompose(v -> ask(id, r -> new StreamCommand.Activate(clock.millis(), r)));
  }

  CompletionStage<ShardReply.Done> open(StreamId id, StreamState stream, StreamShard s) {
    return entities.ask(ShardDefinition.TYPE_KEY,
        id.shardEntityId(stream.createdMillis(), s.shardId()),
        r -> new ShardCommand.Open(s.startingHashKey(), s.endingHashKey(), s.parentShardId(),
            s.adjacentParentShardId(), stream.retentionHours(), settings.enforceLimits(),
            clock.millis(), r), ShardReply.Done.class);
  }

  /** DescribeStream and friends: the stream, its unfinished steps finished first when their
   *  driver seems gone. */
  public CompletionStage<StreamState> describe(StreamId id) {
    return ask(id, StreamCommand.Describe::new).thenCompose(s -> {
      long age = clock.millis() - (s.reshard() != null ? s.reshard().startedMillis()
          : s.createdMillis());
      if (StreamState.CREATING.equals(s.status()) && age > STUCK_MILLIS) {
        return activate(id, s);
      }
      if (s.reshard() != null && age > STUCK_MILLIS) {
        return Reshard.finish(this, id, s);
      }
      return CompletableFuture.completedFuture(s);
    });
  }

  /** A ListStreams page. @param more whether names follow the last one */
  public record StreamNamesPage(List<String> names, boolean more) {}

  public CompletionStage<StreamNamesPage> listStreams(String account, String exclusiveStart,
      int limit) {
    if (limit < 0 || limit > MAX_LIST_STREAMS) {
      throw KinesisErrors.ValidationException.exception("1 validation error detected: Value '"
          + limit + "' at 'limit' failed to satisfy constraint: Member must have value less "
          + "than or equal to " + MAX_LIST_STREAMS);
    }
    return entities.ask(STREAM_NAMES.typeKey(), account + "/" + region,
        r -> new NameIndexDefinition.ListNames("", exclusiveStart == null
            || exclusiveStart.isEmpty() ? null : exclusiveStart, limit == 0 ? 100 : limit, r),
        NameIndexDefinition.Names.class)
        .thenApply(n -> new StreamNamesPage(n.names(), n.more()));
  }

  /** DeleteStream: the stream goes at once (AWS shows DELETING for a while; its records are
   *  unreadable from the start); the name is free again; then its shards' records go, journal
   *  and snapshots (AWS: the data is gone). A shard left undeleted by a failure here holds
   *  records nobody can reach (a re-created stream has other shard entities) until its
   *  retention trims them. */
  public CompletionStage<StreamState> deleteStream(StreamId id, boolean enforceConsumerDeletion) {
    return ask(id, r -> new StreamCommand.Delete(enforceConsumerDeletion, clock.millis(), r))
        .thenCompose(deleted -> names(id, r -> new NameIndexDefinition.Unregister(id.name(),
            r)).thenCompose(d -> {
              forget(id);
              log.debug("stream {} deleted", id.entityId());
              return deleteShards(id, deleted).thenApply(v -> deleted);
            }));
  }

  private CompletionStage<Void> deleteShards(StreamId id, StreamState deleted) {
    if (deleted.createdMillis() == 0) {
      return CompletableFuture.completedFuture(null); // never existed, or deleted before
    }
    return CompletableFuture.allOf(deleted.shards().stream()
        .map(s -> entities.ask(ShardDefinition.TYPE_KEY,
                id.shardEntityId(deleted.createdMillis(), s.shardId()),
                ShardCommand.Delete::new, ShardReply.Done.class).toCompletableFuture()
            .exceptionally(e -> {
              log.warn("stream {}: deleting shard {} failed: {}", id.entityId(), s.shardId(),
                  e.toString());
              return null;
            }))
        .toArray(CompletableFuture[]::new));
  }

  /** Increase/DecreaseStreamRetentionPeriod: the stream, then each of its shards. */
  public CompletionStage<StreamState> setRetention(StreamId id, int hours, boolean increase) {
    return ask(id, r -> new StreamCommand.SetRetention(hours, increase, r))
        .thenCompose(s -> CompletableFuture.allOf(s.shards().stream()
            .map(shard -> entities.ask(ShardDefinition.TYPE_KEY,
                id.shardEntityId(s.createdMillis(), shard.shardId()),
                r -> new ShardCommand.SetRetention(hours, r), ShardReply.Done.class)
                .toCompletableFuture()).toArray(CompletableFuture[]::new))
            .thenApply(v -> s));
  }

  /** SplitShard: adds an open shard, so within the account's quota first. */
  public CompletionStage<StreamState> splitShard(StreamId id, String shard,
      String newStartingHashKey) {
    return AccountShards.reserve(this, id.account(), 1, "SplitShard of " + shard + " in "
        + "stream " + id.name()).thenCompose(u -> Reshard.split(this, id, shard,
            newStartingHashKey));
  }

  public CompletionStage<StreamState> mergeShards(StreamId id, String shard, String adjacent) {
    return Reshard.merge(this, id, shard, adjacent);
  }

  public CompletionStage<StreamState> command(StreamId id,
      Function<ActorRef<Reply>, StreamCommand> command) {
    return ask(id, command);
  }
}
