package fabric.kinesis.service;

import fabric.core.error.ServiceException;
import fabric.kinesis.model.HashKeys;
import fabric.kinesis.model.KinesisErrors;
import fabric.kinesis.model.SequenceNumbers;
import fabric.kinesis.shard.ShardCommand;
import fabric.kinesis.shard.ShardDefinition;
import fabric.kinesis.shard.ShardRecord;
import fabric.kinesis.shard.ShardReply;
import fabric.kinesis.stream.StreamShard;
import fabric.kinesis.stream.StreamState;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * PutRecord and PutRecords: records route by hash key to the open shard that owns it, one
 * command per shard, in parallel; per-record results in the request's order.
 */
public final class KinesisRecords {
  /** AWS: PutRecords takes 1..500 records, 5 MiB in all. */
  public static final int MAX_PUT_RECORDS = 500;
  public static final long MAX_PUT_BYTES = 5L * 1024 * 1024;

  private final KinesisService kinesis;

  public KinesisRecords(KinesisService kinesis) {
    this.kinesis = kinesis;
  }

  /** A record to put, as the request gave it. @param explicitHashKey null or empty: none */
  public record Entry(String partitionKey, byte[] data, String explicitHashKey) {}

  /** One record's result: a sequence number and shard, or an error code and message. */
  public record Result(String shardId, String sequenceNumber, String errorCode,
      String errorMessage) {}

  public CompletionStage<Result> putRecord(StreamId id, Entry entry) {
    return putRecords(id, List.of(entry)).thenApply(results -> {
      Result r = results.get(0);
      if (r.errorCode() != null) {
        throw KinesisErrors.valueOf(r.errorCode()).exception(r.errorMessage());
      }
      return r;
    });
  }

  public CompletionStage<List<Result>> putRecords(StreamId id, List<Entry> entries) {
    if (entries.isEmpty() || entries.size() > MAX_PUT_RECORDS) {
      throw KinesisErrors.ValidationException.exception("1 validation error detected: Value "
          + "at 'records' failed to satisfy constraint: Member must have length between 1 "
          + "and " + MAX_PUT_RECORDS);
    }
    List<BigInteger> hashKeys = new ArrayList<>(entries.size());
    long total = 0;
    for (Entry e : entries) {
      HashKeys.checkPartitionKey(e.partitionKey());
      ShardRecord r = new ShardRecord(e.partitionKey(), e.data());
      if (r.sizeBytes() > ShardDefinition.MAX_RECORD_BYTES) {
        throw KinesisErrors.ValidationException.exception("1 validation error detected: "
            + "Value at 'data' failed to satisfy constraint: Member must have length less "
            + "than or equal to " + ShardDefinition.MAX_RECORD_BYTES + " (with the partition "
            + "key)");
      }
      total += r.sizeBytes();
      hashKeys.add(e.explicitHashKey() == null || e.explicitHashKey().isEmpty()
          ? HashKeys.ofPartitionKey(e.partitionKey())
          : HashKeys.parse(e.explicitHashKey(), "explicitHashKey"));
    }
    if (total > MAX_PUT_BYTES) {
      throw KinesisErrors.invalid("Records size exceeds " + MAX_PUT_BYTES / 1024 / 1024
          + " MB limit");
    }
    Result[] results = new Result[entries.size()];
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      all.add(i);
    }
    return put(id, entries, hashKeys, all, results, true).thenApply(v -> List.of(results));
  }

  /** Puts records {@code indexes} (in order), grouped by shard; a group that finds its shard
   *  closed (a reshard) finishes the reshard and routes again, once. */
  private CompletionStage<Void> put(StreamId id, List<Entry> entries, List<BigInteger> keys,
      List<Integer> indexes, Result[] results, boolean mayRetry) {
    return kinesis.routable(id).thenCompose(stream -> {
      Map<StreamShard, List<Integer>> byShard = new LinkedHashMap<>();
      ShardRoutes shardRoutes = routesOf(id, stream);
      for (int i : indexes) {
        byShard.computeIfAbsent(shardRoutes.route(keys.get(i)), s -> new ArrayList<>()).add(i);
      }
      List<CompletableFuture<List<Integer>>> puts = new ArrayList<>();
      for (Map.Entry<StreamShard, List<Integer>> group : byShard.entrySet()) {
        puts.add(putGroup(id, stream, group.getKey(), group.getValue(), entries, results,
            mayRetry).toCompletableFuture());
      }
      return CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).thenCompose(v -> {
        // The groups that found their shard closed route again together, in request order:
        // re-routed apart, two parents' records for a merged child could land in any order.
        List<Integer> closed = new ArrayList<>();
        puts.forEach(p -> closed.addAll(p.join()));
        if (closed.isEmpty()) {
          return CompletableFuture.<Void>completedFuture(null);
        }
        closed.sort(null);
        kinesis.forget(id);
        return kinesis.describe(id).thenCompose(s -> Reshard.finish(kinesis, id, s))
            .thenCompose(s -> put(id, entries, keys, closed, results, false));
      });
    });
  }

  /** Puts one shard's group. @return the group when its shard was closed (to route again),
   *  else nothing, its results filled in */
  private CompletionStage<List<Integer>> putGroup(StreamId id, StreamState stream,
      StreamShard shard, List<Integer> group, List<Entry> entries, Result[] results,
      boolean mayRetry) {
    List<ShardRecord> records = group.stream()
        .map(i -> new ShardRecord(entries.get(i).partitionKey(), entries.get(i).data()))
        .toList();
    return kinesis.entities().ask(ShardDefinition.TYPE_KEY,
            id.shardEntityId(stream.createdMillis(), shard.shardId()),
            r -> new ShardCommand.Put(records, kinesis.clock().millis(), r),
            fabric.core.entity.Reply.class)
        .handle((reply, failure) -> {
          if (reply instanceof ShardReply.ShardClosed && mayRetry) {
            return group;
          }
          for (int k = 0; k < group.size(); k++) {
            results[group.get(k)] = result(id, shard, reply, failure, k);
          }
          return List.<Integer>of();
        });
  }

  private static Result result(StreamId id, StreamShard shard, Object reply, Throwable failure,
      int k) {
    if (reply instanceof ShardReply.Appended a) {
      return k < a.accepted() ? new Result(shard.shardId(),
          SequenceNumbers.format(a.firstRecordNumber() + k), null, null)
          : new Result(null, null, "ProvisionedThroughputExceededException", "Rate exceeded "
              + "for shard " + shard.shardId() + " in stream " + id.name() + " under account "
              + id.account() + ".");
    }
    Throwable cause = failure instanceof java.util.concurrent.CompletionException
        && failure.getCause() != null ? failure.getCause() : failure;
    String message = cause instanceof ServiceException se ? se.error().message()
        : "the shard did not answer: " + (cause == null ? reply : cause.toString());
    return new Result(null, null, "InternalFailure", "Internal service failure: " + message);
  }

  /** The shard that takes a record of hash key {@code key}: the open one that owns it, not
   *  a reshard's child while its parents still take records. */
  /** The routes of the stream state last routed, per stream: the service's cache hands out
   *  the same state for up to a second, so the routes are built about once a second. */
  private static final int MAX_ROUTED_STREAMS = 10_000;
  private final Map<String, ShardRoutes> routes = new java.util.concurrent.ConcurrentHashMap<>();

  private ShardRoutes routesOf(StreamId id, StreamState stream) {
    ShardRoutes r = routes.get(id.entityId());
    if (r == null || !r.builtFrom(stream)) {
      r = ShardRoutes.of(stream);
      if (routes.size() >= MAX_ROUTED_STREAMS) {
        routes.clear(); // deleted streams' routes would stay otherwise; rebuilt on demand
      }
      routes.put(id.entityId(), r);
    }
    return r;
  }
}
