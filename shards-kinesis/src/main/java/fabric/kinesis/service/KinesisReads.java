package fabric.kinesis.service;

import fabric.core.entity.JournalRead;
import fabric.core.entity.JournalReader;
import fabric.core.entity.ResourceEntity;
import fabric.kinesis.model.KinesisErrors;
import fabric.kinesis.model.SequenceNumbers;
import fabric.kinesis.shard.ShardCommand;
import fabric.kinesis.shard.ShardDefinition;
import fabric.kinesis.shard.ShardEvent;
import fabric.kinesis.shard.ShardReply;
import fabric.kinesis.stream.StreamShard;
import fabric.kinesis.stream.StreamState;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * GetShardIterator and GetRecords. A read reads the shard's journal from the iterator's
 * position on whichever node serves the call (what the journal holds was acknowledged);
 * the shard entity is asked only where a position is and where its tip is (read-only
 * commands, never queued behind writes).
 */
public final class KinesisReads {
  /** AWS: GetRecords answers up to 10,000 records and 10 MiB. */
  public static final int MAX_GET_RECORDS = 10_000;
  public static final long MAX_GET_BYTES = 10L * 1024 * 1024;
  /** Journal events one GetRecords reads at most (each holds up to 500 records). */
  static final int MAX_EVENTS_PER_READ = 1_000;
  /** Journal events one GetRecords reads at least: a page short of its records only costs
   *  the reader another call, a page read in vain costs the journal. */
  static final int MIN_EVENTS_PER_READ = 16;
  private static final ShardDefinition SHARDS = new ShardDefinition();

  private final KinesisService kinesis;
  private final JournalReader journal;
  private final ReadLimits readLimits = new ReadLimits();

  public KinesisReads(KinesisService kinesis, JournalReader journal) {
    this.kinesis = kinesis;
    this.journal = journal;
  }

  /** A record as GetRecords returns it. */
  public record Record(String sequenceNumber, long arrivalMillis, byte[] data,
      String partitionKey) {}

  /** @param nextShardIterator null once a closed shard is read to its end
   *  @param childShards a closed shard's children, at its end */
  public record Records(List<Record> records, String nextShardIterator,
      long millisBehindLatest, List<StreamShard> childShards) {}

  public CompletionStage<String> getShardIterator(StreamId id, String shardId, String type,
      String startingSequenceNumber, Double timestampSeconds) {
    return locate(id, shardId, type, startingSequenceNumber, timestampSeconds)
        .thenApply(start -> ShardIterators.encode(start.position()));
  }

  /** GetShardIterator's starting positions (SubscribeToShard's too), checked as AWS does. */
  public CompletionStage<Start> locate(StreamId id, String shardId, String type,
      String startingSequenceNumber, Double timestampSeconds) {
    String kind = type == null ? "" : type;
    long recordNumber;
    long timestampMillis = -1;
    switch (kind) {
      case "TRIM_HORIZON" -> recordNumber = 0;
      case "LATEST" -> recordNumber = Long.MAX_VALUE;
      case "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER" -> {
        if (startingSequenceNumber == null || startingSequenceNumber.isEmpty()) {
          throw KinesisErrors.invalid("StartingSequenceNumber is required for " + kind);
        }
        long n = SequenceNumbers.parse(startingSequenceNumber, "startingSequenceNumber");
        recordNumber = kind.equals("AT_SEQUENCE_NUMBER") ? n : n + 1;
      }
      case "AT_TIMESTAMP" -> {
        if (timestampSeconds == null) {
          throw KinesisErrors.invalid("Timestamp is required for AT_TIMESTAMP");
        }
        recordNumber = 0;
        timestampMillis = Math.max(0, Math.round(timestampSeconds * 1000));
      }
      default -> throw KinesisErrors.ValidationException.exception("1 validation error "
          + "detected: Value '" + type + "' at 'shardIteratorType' failed to satisfy "
          + "constraint: Member must satisfy enum value set: [AT_SEQUENCE_NUMBER, "
          + "AFTER_SEQUENCE_NUMBER, TRIM_HORIZON, LATEST, AT_TIMESTAMP]");
    }
    long at = timestampMillis;
    return kinesis.routable(id).thenCompose(stream -> {
      StreamShard shard = stream.shard(shardId);
      if (shard == null) {
        throw KinesisErrors.ResourceNotFoundException.exception("Shard " + shardId + " in "
            + "stream " + id.name() + " under account " + id.account() + " does not exist");
      }
      String entity = id.shardEntityId(stream.createdMillis(), shardId);
      return kinesis.entities().ask(ShardDefinition.TYPE_KEY, entity,
          r -> new ShardCommand.Locate(recordNumber, at, kinesis.clock().millis(), r),
          ShardReply.Location.class)
          .thenApply(location -> {
            if (kind.endsWith("SEQUENCE_NUMBER") && recordNumber
                > location.nextRecordNumber() - (kind.startsWith("AT") ? 1 : 0)) {
              throw KinesisErrors.invalid("StartingSequenceNumber " + startingSequenceNumber
                  + " used in GetShardIterator on shard " + shardId + " in stream "
                  + id.name() + " under account " + id.account() + " is invalid because it "
                  + "did not come from this stream.");
            }
            return new Start(new ShardIterators.Position(entity, shardId,
                location.fromRecordNumber(), location.journalFrom(), Math.max(0, at),
                kinesis.clock().millis()), location);
          });
    });
  }

  /** Where a reader of a shard starts, and the shard's tip when it was located. */
  public record Start(ShardIterators.Position position, ShardReply.Location tip) {}

  public CompletionStage<Records> getRecords(String account, String iterator, int limit) {
    if (limit < 0 || limit > MAX_GET_RECORDS) {
      throw KinesisErrors.ValidationException.exception("1 validation error detected: Value '"
          + limit + "' at 'limit' failed to satisfy constraint: Member must have value less "
          + "than or equal to " + MAX_GET_RECORDS);
    }
    int max = limit == 0 ? MAX_GET_RECORDS : limit;
    long now = kinesis.clock().millis();
    ShardIterators.Position it = ShardIterators.decode(iterator, account, now);
    if (kinesis.settings().enforceLimits()) {
      readLimits.take(it.shardEntity(), it.shardId(), it.stream().name(), account, now);
    }
    return kinesis.entities().ask(ShardDefinition.TYPE_KEY, it.shardEntity(),
            r -> new ShardCommand.Locate(it.recordNumber(), -1, now, r),
            ShardReply.Location.class)
        .thenCompose(tip -> {
          // Trimmed records are skipped: start where the shard says the position is.
          ShardIterators.Position from = tip.fromRecordNumber() > it.recordNumber()
              ? new ShardIterators.Position(it.shardEntity(), it.shardId(),
                  tip.fromRecordNumber(), tip.journalFrom(), it.fromMillis(), now) : it;
          if (from.recordNumber() >= tip.nextRecordNumber()) {
            return atTip(from, tip, now);
          }
          String pid = ResourceEntity.persistenceId(SHARDS, from.shardEntity()).id();
          int events = tip.eventsFor(from.journalFrom(), from.recordNumber(), max,
              MIN_EVENTS_PER_READ, MAX_EVENTS_PER_READ);
          return journal.<ShardEvent>read(pid, new JournalRead(from.journalFrom(), events))
              .thenApply(read -> page(from, tip, read, max, now));
        });
  }

  /** Nothing to read yet: the same position again, or the end of a closed shard. */
  private CompletionStage<Records> atTip(ShardIterators.Position at, ShardReply.Location tip,
      long now) {
    if (tip.closedAtMillis() == 0) {
      return CompletableFuture.completedFuture(new Records(List.of(), ShardIterators.encode(
          new ShardIterators.Position(at.shardEntity(), at.shardId(), at.recordNumber(),
              at.journalFrom(), at.fromMillis(), now)), 0, List.of()));
    }
    // Fresh, not the routing cache: the children joined the map with the reshard.
    return kinesis.describe(at.stream()).thenApply(stream -> new Records(List.of(), null, 0,
        children(stream, at.shardId())));
  }

  static List<StreamShard> children(StreamState stream, String shardId) {
    return stream.shards().stream().filter(s -> shardId.equals(s.parentShardId())
        || shardId.equals(s.adjacentParentShardId())).toList();
  }

  private Records page(ShardIterators.Position from, ShardReply.Location tip,
      List<JournalRead.Event<ShardEvent>> events, int max, long now) {
    ShardPage page = ShardPage.cut(from, events, max, MAX_GET_BYTES);
    if (kinesis.settings().enforceLimits()) {
      readLimits.paid(from.shardEntity(), page.bytes());
    }
    long behind = page.millisBehind(tip);
    return new Records(page.records(), ShardIterators.encode(page.next(from, now)), behind,
        List.of());
  }
}
