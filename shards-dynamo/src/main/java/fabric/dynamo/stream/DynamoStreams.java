package fabric.dynamo.stream;

import fabric.core.entity.EntityClient;
import fabric.core.entity.JournalRead;
import fabric.core.entity.JournalReader;
import fabric.core.entity.ResourceEntity;
import fabric.dynamo.model.AttributeValue;
import fabric.dynamo.model.DynamoErrors;
import fabric.dynamo.model.Item;
import fabric.dynamo.model.KeySchema;
import fabric.dynamo.model.PrimaryKey;
import fabric.dynamo.partition.PartitionCommand;
import fabric.dynamo.partition.PartitionDefinition;
import fabric.dynamo.partition.PartitionEvent;
import fabric.dynamo.partition.PartitionReply;
import fabric.dynamo.service.DynamoService;
import fabric.dynamo.service.TableId;
import fabric.dynamo.table.TableState;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * DynamoDB Streams: one shard per partition, whose records are that partition's item events
 * read back from its journal (the journal is the stream: nothing is written twice), 24 h of
 * them. Iterators name a partition and a journal sequence number. A split closes its
 * parent's shard ({@link StreamShards}): the parent's journal ends at the event that froze
 * it, the children's journals begin with the copy of its items (not item changes, so not
 * records) and then their own writes.
 */
public final class DynamoStreams {
  public static final long RETENTION_MILLIS = 24 * 3600_000L;
  public static final int MAX_RECORDS = 1_000;
  /**
   * How long GetRecords trusts a partition's leader epochs (which drop the orphans of a
   * deposed leader): without it every call loads them. A newer epoch seen in the events read
   * reloads them at once, so staleness matters only for an orphan that reaches the journal
   * within this time of a leader change, before the new leader's first write.
   */
  static final long EPOCH_CACHE_MILLIS = 1_000;
  private static final DateTimeFormatter LABEL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
  private static final PartitionDefinition PARTITIONS = new PartitionDefinition();
  private final DynamoService dynamo;
  private final EntityClient entities;
  private final JournalReader journal;
  private final Clock clock;

  public DynamoStreams(DynamoService dynamo, EntityClient entities, JournalReader journal,
      Clock clock) {
    this.dynamo = dynamo;
    this.entities = entities;
    this.journal = journal;
    this.clock = clock;
  }

  /** The stream's label (its table's creation time) and ARN. */
  public static String label(TableState t) {
    return LABEL.format(Instant.ofEpochMilli(t.createdAtMillis()));
  }

  public static String streamArn(TableId id, TableState t) {
    return id.arn() + "/stream/" + label(t);
  }

  public static String shardId(TableState t, String partition) {
    return "shardId-" + t.tableId().substring(0, 8) + "-" + partition;
  }

  /** The table a stream ARN names, with the table checked to still have that stream. */
  public CompletionStage<TableState> streamTable(String account, String streamArn) {
    int cut = streamArn == null ? -1 : streamArn.indexOf("/stream/");
    String prefix = "arn:aws:dynamodb:";
    if (cut < 0 || !streamArn.startsWith(prefix) || !streamArn.contains(":table/")) {
      throw DynamoErrors.validation("Invalid StreamArn: " + streamArn);
    }
    String table = streamArn.substring(streamArn.indexOf(":table/") + 7, cut);
    return dynamo.describeTable(account, table).thenApply(t -> {
      if (t.spec().streamViewType() == null
          || !streamArn.equals(streamArn(dynamo.table(account, table), t))) {
        throw DynamoErrors.ResourceNotFoundException.exception("Requested resource not found: "
            + "Stream: " + streamArn + " not found");
      }
      return t;
    });
  }

  private static StreamShards.Shard shardOf(TableState t, String shardId, long now) {
    for (StreamShards.Shard shard : StreamShards.shards(t, now)) {
      if (shardId(t, shard.partition()).equals(shardId)) {
        return shard;
      }
    }
    throw DynamoErrors.ResourceNotFoundException.exception("Requested resource not found: "
        + "Shard " + shardId + " not found");
  }

  /**
   * @param type TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER
   */
  public CompletionStage<String> shardIterator(String account, String streamArn,
      String shardId, String type, String sequenceNumber) {
    return streamTable(account, streamArn).thenCompose(t -> {
      String table = streamArn.substring(streamArn.indexOf(":table/") + 7,
          streamArn.indexOf("/stream/"));
      long now = clock.millis();
      StreamShards.Shard shard = shardOf(t, shardId, now);
      String partition = shard.partition();
      TableId id = dynamo.table(account, table);
      switch (type) {
        case "TRIM_HORIZON":
          return done(new ShardIterator(account, table, t.tableId(), partition, 1, now));
        case "AT_SEQUENCE_NUMBER":
        case "AFTER_SEQUENCE_NUMBER":
          long seq;
          try {
            seq = Long.parseLong(sequenceNumber);
          } catch (NumberFormatException | NullPointerException e) {
            throw DynamoErrors.validation("Invalid SequenceNumber: " + sequenceNumber);
          }
          return done(new ShardIterator(account, table, t.tableId(), partition,
              type.startsWith("AT") ? seq : seq + 1, now));
        case "LATEST":
          if (shard.closed()) { // nothing will follow its end
            return done(new ShardIterator(account, table, t.tableId(), partition,
                shard.endingSeqNr() + 1, now));
          }
          return entities.ask(PartitionDefinition.TYPE_KEY,
              id.partitionEntityId(t.tableId(), partition), PartitionCommand.Position::new,
              PartitionReply.Position.class).thenApply(p -> new ShardIterator(account, table,
                  t.tableId(), partition, p.appliedEvents() + 1, now).encode());
        default:
          throw DynamoErrors.validation("1 validation error detected: Value '" + type
              + "' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy "
              + "enum value set: [AFTER_SEQUENCE_NUMBER, LATEST, AT_SEQUENCE_NUMBER, "
              + "TRIM_HORIZON]");
      }
    });
  }

  private static CompletionStage<String> done(ShardIterator it) {
    return java.util.concurrent.CompletableFuture.completedFuture(it.encode());
  }

  /** Records and the next iterator: null once a closed shard was read to its end. */
  public record Records(List<StreamRecord> records, String nextShardIterator) {}

  /** How long GetRecords trusts a table's description (it names the stream's view type,
   *  key schema and closed shards; a split or UpdateTable shows within this). */
  static final long TABLE_CACHE_MILLIS = 1_000;
  /** Most tables whose description is cached here (all dropped when it fills). */
  static final int MAX_CACHED_TABLES = 10_000;
  private final Map<String, CachedTable> tables = new java.util.concurrent.ConcurrentHashMap<>();

  private record CachedTable(TableState table, long atMillis) {}

  private CompletionStage<TableState> table(String account, String name, long now) {
    String key = account + "/" + name;
    CachedTable c = tables.get(key);
    if (c != null && now - c.atMillis() < TABLE_CACHE_MILLIS) {
      return java.util.concurrent.CompletableFuture.completedFuture(c.table());
    }
    return dynamo.describeTable(account, name).thenApply(t -> {
      if (tables.size() >= MAX_CACHED_TABLES) {
        tables.clear();
      }
      tables.put(key, new CachedTable(t, now));
      return t;
    });
  }

  public CompletionStage<Records> records(String account, String iterator, int limit) {
    if (limit < 0 || limit > MAX_RECORDS) {
      throw DynamoErrors.validation("1 validation error detected: Value '" + limit + "' at "
          + "'limit' failed to satisfy constraint: Member must have value less than or equal "
          + "to " + MAX_RECORDS);
    }
    long now = clock.millis();
    ShardIterator it = ShardIterator.decode(iterator, now);
    if (!it.account().equals(account)) {
      throw DynamoErrors.validation("Invalid ShardIterator");
    }
    int max = limit == 0 ? MAX_RECORDS : limit;
    TableId id = dynamo.table(account, it.table());
    return table(account, it.table(), now).thenCompose(t -> {
      if (!t.tableId().equals(it.tableId())) {
        throw DynamoErrors.ResourceNotFoundException.exception("Requested resource not found: "
            + "the stream's table was deleted");
      }
      String pid = ResourceEntity.persistenceId(PARTITIONS,
          id.partitionEntityId(it.tableId(), it.partition())).id();
      StreamShards.Shard shard = StreamShards.find(t, it.partition());
      return journal.<PartitionEvent>readCachingEpochs(pid,
              new JournalRead(it.fromSeqNr(), max), EPOCH_CACHE_MILLIS)
          .thenApply(events -> {
            List<StreamRecord> out = new ArrayList<>();
            long next = it.fromSeqNr();
            KeySchema keys = t.spec().keySchema();
            // The event that froze the partition for a split ends its shard: nothing after
            // it is an item change (a dropped parent's events either).
            boolean ended = events.isEmpty() && shard != null && shard.closed()
                && it.fromSeqNr() > shard.endingSeqNr();
            for (JournalRead.Event<PartitionEvent> e : events) {
              if (e.event() instanceof PartitionEvent.Frozen
                  || e.event() instanceof PartitionEvent.Dropped) {
                ended = true;
                break;
              }
              next = e.seqNr() + 1;
              toRecords(pid, keys, t.spec().streamViewType(), e, now, out);
            }
            return new Records(out, ended ? null : new ShardIterator(account, it.table(),
                it.tableId(), it.partition(), next, now).encode());
          });
    });
  }

  private static void toRecords(String pid, KeySchema keys, String view,
      JournalRead.Event<PartitionEvent> e, long now, List<StreamRecord> out) {
    if (e.event() instanceof PartitionEvent.ItemPut put) {
      add(out, pid, e.seqNr(), 0, keys, view, put.old() == null ? "INSERT" : "MODIFY",
          put.key(), put.item(), put.old(), put.atMillis(), now, false);
    } else if (e.event() instanceof PartitionEvent.ItemDeleted d) {
      add(out, pid, e.seqNr(), 0, keys, view, "REMOVE", d.key(), null, d.old(), d.atMillis(),
          now, false);
    } else if (e.event() instanceof PartitionEvent.ReplicaApplied r
        && !(r.write().delete() && r.old() == null)) {
      // A global table's write from another region is in this replica's stream too (a
      // tombstone for an item this replica never had is no record).
      add(out, pid, e.seqNr(), 0, keys, view, r.write().delete() ? "REMOVE"
          : r.old() == null ? "INSERT" : "MODIFY", r.write().key(), r.write().item(), r.old(),
          r.write().version().millis(), now, false);
    } else if (e.event() instanceof PartitionEvent.ItemsExpired x) {
      for (int i = 0; i < x.keys().size(); i++) {
        add(out, pid, e.seqNr(), i, keys, view, "REMOVE", x.keys().get(i), null,
            x.olds() == null ? null : x.olds().get(i), x.atMillis(), now, true);
      }
    }
  }

  private static void add(List<StreamRecord> out, String pid, long seqNr, int index,
      KeySchema keys,
      String view, String name, PrimaryKey key, Item newItem, Item oldItem, long atMillis,
      long now, boolean byService) {
    if (view == null || now - atMillis > RETENTION_MILLIS) {
      return; // written before the stream, or past its 24 h
    }
    boolean newImage = view.equals("NEW_IMAGE") || view.equals("NEW_AND_OLD_IMAGES");
    boolean oldImage = view.equals("OLD_IMAGE") || view.equals("NEW_AND_OLD_IMAGES");
    Map<String, AttributeValue> keyMap = keys.asMap(key);
    Item n = newImage ? newItem : null;
    Item o = oldImage ? oldItem : null;
    long size = new Item(keyMap).sizeBytes() + (n == null ? 0 : n.sizeBytes())
        + (o == null ? 0 : o.sizeBytes());
    String eventId = UUID.nameUUIDFromBytes((pid + "#" + seqNr + "#" + index)
        .getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
    out.add(new StreamRecord(eventId, name, keyMap, n, o, ShardIterator.sequenceNumber(seqNr),
        size, atMillis, view, byService));
  }
}
