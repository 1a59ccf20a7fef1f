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
 * them. Iterators name a partition and a journal sequence number.
 */
public final class DynamoStreams {
  public static final long RETENTION_MILLIS = 24 * 3600_000L;
  public static final int MAX_RECORDS = 1_000;
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

  private static String partitionOfShard(TableState t, String shardId) {
    for (TableState.Partition p : t.partitions()) {
      if (shardId(t, p.id()).equals(shardId)) {
        return p.id();
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
      String partition = partitionOfShard(t, shardId);
      TableId id = dynamo.table(account, table);
      long now = clock.millis();
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

  /** Records and the next iterator. */
  public record Records(List<StreamRecord> records, String nextShardIterator) {}

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
    return dynamo.describeTable(account, it.table()).thenCompose(t -> {
      if (!t.tableId().equals(it.tableId())) {
        throw DynamoErrors.ResourceNotFoundException.exception("Requested resource not found: "
            + "the stream's table was deleted");
      }
      String pid = ResourceEntity.persistenceId(PARTITIONS,
          id.partitionEntityId(it.tableId(), it.partition())).id();
      return journal.<PartitionEvent>read(pid, new JournalRead(it.fromSeqNr(), max))
          .thenApply(events -> {
            List<StreamRecord> out = new ArrayList<>();
            long next = it.fromSeqNr();
            KeySchema keys = t.spec().keySchema();
            for (JournalRead.Event<PartitionEvent> e : events) {
              next = e.seqNr() + 1;
              toRecords(pid, keys, t.spec().streamViewType(), e, now, out);
            }
            return new Records(out, new ShardIterator(account, it.table(), it.tableId(),
                it.partition(), next, now).encode());
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
