package fabric.kinesis.service;

import fabric.kinesis.shard.ShardCommand;
import fabric.kinesis.shard.ShardDefinition;
import fabric.kinesis.shard.ShardReply;
import fabric.kinesis.stream.StreamCommand;
import fabric.kinesis.stream.StreamShard;
import fabric.kinesis.stream.StreamState;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of a SplitShard or MergeShards after the stream recorded it: open the children,
 * close the parents (each answers its last record), report each close to the stream, which
 * is ACTIVE again after the last. Every step is idempotent, so a reshard whose driver died
 * is finished by the next caller that finds it ({@link #finish}).
 */
final class Reshard {
  private static final Logger log = LoggerFactory.getLogger(Reshard.class);

  private Reshard() {}

  static CompletionStage<StreamState> split(KinesisService k, StreamId id, String shard,
      String newStartingHashKey) {
    return k.ask(id, r -> new StreamCommand.Split(shard, newStartingHashKey,
        k.clock().millis(), r)).thenCompose(s -> {
          log.info("stream {}: splitting {} at {} into {}", id.entityId(), shard,
              newStartingHashKey, s.reshard().opening());
          return finish(k, id, s);
        });
  }

  static CompletionStage<StreamState> merge(KinesisService k, StreamId id, String shard,
      String adjacent) {
    return k.ask(id, r -> new StreamCommand.Merge(shard, adjacent, k.clock().millis(), r))
        .thenCompose(s -> {
          log.info("stream {}: merging {} and {} into {}", id.entityId(), shard, adjacent,
              s.reshard().opening());
          return finish(k, id, s);
        });
  }

  /** Takes the reshard of {@code stream} (if any) to its end. */
  static CompletionStage<StreamState> finish(KinesisService k, StreamId id, StreamState stream) {
    StreamState.Reshard reshard = stream.reshard();
    if (reshard == null) {
      return CompletableFuture.completedFuture(stream);
    }
    CompletableFuture<?>[] opens = reshard.opening().stream()
        .map(child -> k.open(id, stream, stream.shard(child)).toCompletableFuture())
        .toArray(CompletableFuture[]::new);
    CompletionStage<StreamState> done = CompletableFuture.allOf(opens)
        .thenApply(v -> stream);
    for (String parentId : reshard.closing()) {
      StreamShard parent = stream.shard(parentId);
      if (parent == null || !parent.open()) {
        continue;
      }
      done = done.thenCompose(s -> k.entities().ask(ShardDefinition.TYPE_KEY,
              id.shardEntityId(stream.createdMillis(), parentId),
              r -> new ShardCommand.Close(k.clock().millis(), r), ShardReply.ShardClosed.class)
          .thenCompose(closed -> k.ask(id, r -> new StreamCommand.ShardClosed(parentId,
              closed.lastRecordNumber(), k.clock().millis(), r))));
    }
    return done.whenComplete((s, failure) -> {
      k.forget(id);
      if (failure != null) {
        log.warn("stream {}: reshard {} not finished yet (the next caller that finds it "
            + "finishes it): {}", id.entityId(), reshard, failure.toString());
      }
    });
  }
}
