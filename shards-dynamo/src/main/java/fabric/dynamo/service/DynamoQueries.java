package fabric.dynamo.service;

import fabric.core.replication.ReadPreference;
import fabric.dynamo.index.GlobalIndexDefinition;
import fabric.dynamo.index.IndexCommand;
import fabric.dynamo.model.AttributeValue;
import fabric.dynamo.model.DynamoErrors;
import fabric.dynamo.model.Item;
import fabric.dynamo.model.PrimaryKey;
import fabric.dynamo.partition.PartitionCommand;
import fabric.dynamo.partition.PartitionDefinition;
import fabric.dynamo.partition.PartitionReply;
import fabric.dynamo.partition.RequestExpressions;
import fabric.dynamo.table.IndexSpec;
import fabric.dynamo.table.TableState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Scan and Query. A Query reads one partition key, hence one partition; a Scan walks the
 * partitions in token order (or one segment of the token space). Limit counts the items
 * read, before the FilterExpression; a page stops at 1 MB read, as DynamoDB's.
 */
public final class DynamoQueries {
  /** DynamoDB's page limit: a Scan or Query reads at most 1 MB per call. */
  public static final int PAGE_BYTES = 1024 * 1024;
  private final DynamoService dynamo;

  DynamoQueries(DynamoService dynamo) {
    this.dynamo = dynamo;
  }

  /**
   * One page. @param scannedCount items read (before the filter)
   * @param lastEvaluatedKey null when the scan or query is complete
   */
  public record Page(List<Item> items, int scannedCount,
      Map<String, AttributeValue> lastEvaluatedKey) {}

  /** The key a Query on the table or on one of its indexes names. */
  static fabric.dynamo.model.KeySchema queriedKeys(TableState t, String indexName) {
    if (indexName == null) {
      return t.spec().keySchema();
    }
    for (var index : t.spec().localIndexes()) {
      if (index.name().equals(indexName)) {
        return index.keySchema();
      }
    }
    IndexSpec gsi = globalIndex(t, indexName);
    if (gsi != null) {
      return gsi.keySchema();
    }
    throw DynamoErrors.validation("The table does not have the specified index: "
        + indexName);
  }

  /** The global secondary index {@code indexName} of the table, or null. */
  static IndexSpec globalIndex(TableState t, String indexName) {
    return indexName == null ? null : t.spec().globalIndexes().stream()
        .filter(g -> g.name().equals(indexName)).findFirst().orElse(null);
  }

  /** The table, fetched afresh when the cached description lacks {@code indexName} (an
   *  index UpdateTable just added on another node). */
  private CompletionStage<TableState> withIndex(TableId id, String indexName) {
    return dynamo.active(id).thenCompose(t -> {
      boolean known = globalIndex(t, indexName) != null || t.spec().localIndexes().stream()
          .anyMatch(l -> l.name().equals(indexName));
      if (known) {
        return CompletableFuture.completedFuture(t);
      }
      dynamo.forget(id);
      return dynamo.active(id);
    });
  }

  /** A read of a global secondary index: never strongly consistent, as DynamoDB's (the
   *  index trails its table), and only of what it projects (no fetch from the table).
   *  @param select the request's Select (null or empty: not given) */
  private static void checkIndexRead(TableState t, String indexName, boolean consistentRead,
      String select) {
    if (consistentRead) {
      throw DynamoErrors.validation("Consistent reads are not supported on global secondary "
          + "indexes");
    }
    IndexSpec gsi = globalIndex(t, indexName);
    if ("ALL_ATTRIBUTES".equals(select) && !"ALL".equals(gsi.projectionType())) {
      throw DynamoErrors.validation("One or more parameter values were invalid: Select type "
          + "ALL_ATTRIBUTES is not supported for global secondary index " + indexName
          + " because its projection type is not ALL");
    }
  }

  private static int limit(Integer limit) {
    if (limit != null && limit < 1) {
      throw DynamoErrors.validation("1 validation error detected: Value '" + limit + "' at "
          + "'limit' failed to satisfy constraint: Member must have value greater than or "
          + "equal to 1");
    }
    return limit == null ? Integer.MAX_VALUE : limit;
  }

  private static Map<String, AttributeValue> startKey(TableState t,
      Map<String, AttributeValue> exclusiveStartKey) {
    return exclusiveStartKey == null || exclusiveStartKey.isEmpty() ? null
        : t.spec().keySchema().asMap(t.spec().keySchema().keyOf(exclusiveStartKey));
  }

  /** @param indexName null for the table, else one of its local secondary indexes */
  public CompletionStage<Page> query(String account, String table, String indexName,
      RequestExpressions expressions, boolean forward, Integer limit,
      Map<String, AttributeValue> exclusiveStartKey, boolean consistentRead, String select) {
    if (expressions.keyCondition() == null) {
      throw DynamoErrors.validation("Either the KeyConditions or KeyConditionExpression "
          + "parameter must be specified in the request.");
    }
    int max = limit(limit);
    TableId id = dynamo.table(account, table);
    if (indexName != null) {
      CompletionStage<Page> global = withIndex(id, indexName).thenCompose(t -> {
        if (globalIndex(t, indexName) == null) {
          // A local index (or none): the partition's Query below.
          return CompletableFuture.<Page>completedFuture(null);
        }
        checkIndexRead(t, indexName, consistentRead, select);
        expressions.parse(queriedKeys(t, indexName));
        return askIndex(id, t, indexName, r -> new IndexCommand.Query(expressions,
                forward, exclusiveStartKey == null || exclusiveStartKey.isEmpty() ? null
                    : exclusiveStartKey, max, PAGE_BYTES, r));
      });
      return global.thenCompose(p -> p != null ? CompletableFuture.completedFuture(p)
          : localQuery(id, indexName, expressions, forward, max, exclusiveStartKey,
              consistentRead));
    }
    return localQuery(id, indexName, expressions, forward, max, exclusiveStartKey,
        consistentRead);
  }

  private CompletionStage<Page> localQuery(TableId id, String indexName,
      RequestExpressions expressions, boolean forward, int max,
      Map<String, AttributeValue> exclusiveStartKey, boolean consistentRead) {
    return dynamo.onPartition(id, t -> expressions.parse(queriedKeys(t, indexName))
        .keyCondition().hashValue(), (t, partition) -> {
          var read = dynamo.entities().ask(
              PartitionDefinition.TYPE_KEY, partition, dynamo.read(consistentRead),
              r -> new PartitionCommand.Query(indexName, expressions, forward,
                  indexName == null ? startKey(t, exclusiveStartKey)
                      : exclusiveStartKey == null || exclusiveStartKey.isEmpty() ? null
                      : exclusiveStartKey, max, PAGE_BYTES,
                  DynamoService.readCharge(t, consistentRead), r),
              PartitionReply.Page.class);
          return (consistentRead ? dynamo.ownedRead(id, partition, read) : read)
              .thenApply(p -> new Page(p.items(), p.scannedCount(), p.lastKey()));
        });
  }

  /**
   * Scan: the table's partitions in token order (or one segment of the token space, for a
   * parallel scan), from after {@code exclusiveStartKey}, until {@code limit} items read or
   * 1 MB.
   */
  public CompletionStage<Page> scan(String account, String table, String indexName,
      RequestExpressions expressions, Integer limit,
      Map<String, AttributeValue> exclusiveStartKey, Integer segment, Integer totalSegments,
      boolean consistentRead, String select) {
    TableId id = dynamo.table(account, table);
    ScanRange range = ScanRange.of(segment, totalSegments);
    int max = limit(limit);
    ReadPreference read = dynamo.read(consistentRead);
    if (indexName != null) {
      return withIndex(id, indexName).thenCompose(t -> scanIndex(id, t, indexName,
          expressions, max, exclusiveStartKey, range, consistentRead, select));
    }
    java.util.function.Function<TableState, CompletionStage<Page>> page = t -> {
      expressions.parse(t.spec().keySchema());
      Map<String, AttributeValue> start = startKey(t, exclusiveStartKey);
      long from = start == null ? range.fromToken()
          : PrimaryKey.token(start.get(t.spec().keySchema().hashName()));
      if (!range.contains(from)) {
        throw DynamoErrors.validation("The provided starting key is invalid: it is outside "
            + "the segment");
      }
      return scanFrom(id, t, read, DynamoService.readCharge(t, consistentRead), expressions,
          index(t, from), from, range.toToken(), start, max, new ArrayList<>(), 0, 0);
    };
    // A partition gone under the page (a split): the page again, on the map as it is now
    // (a table that is gone answers ResourceNotFound from there).
    return dynamo.active(id).thenCompose(page).exceptionallyCompose(failure -> {
      if (!DynamoErrors.isResourceNotFound(failure)) {
        return CompletableFuture.failedFuture(failure);
      }
      dynamo.forget(id);
      return dynamo.active(id).thenCompose(page);
    });
  }

  /** A Scan of a global secondary index: one entity holds it all, in index order (a
   *  segment is a slice of the index's partition-key tokens). */
  private CompletionStage<Page> scanIndex(TableId id, TableState t, String indexName,
      RequestExpressions expressions, int max, Map<String, AttributeValue> exclusiveStartKey,
      ScanRange range, boolean consistentRead, String select) {
    IndexSpec gsi = globalIndex(t, indexName);
    if (gsi == null) {
      if (t.spec().localIndexes().stream().anyMatch(l -> l.name().equals(indexName))) {
        throw DynamoErrors.validation("Scan of a local secondary index is not supported by "
            + "this fabric yet: " + indexName);
      }
      throw DynamoErrors.validation("The table does not have the specified index: "
          + indexName);
    }
    checkIndexRead(t, indexName, consistentRead, select);
    expressions.parse(gsi.keySchema());
    return askIndex(id, t, indexName, r -> new IndexCommand.Scan(expressions,
        exclusiveStartKey == null || exclusiveStartKey.isEmpty() ? null : exclusiveStartKey,
        range.fromToken(), range.toToken(), max, PAGE_BYTES, r));
  }

  /** Asks the index entity; an index that is not there (dropped by an UpdateTable this
   *  node's cached description predates) is, once the table is fetched afresh, an unknown
   *  index, as DynamoDB says. */
  private CompletionStage<Page> askIndex(TableId id, TableState t, String indexName,
      java.util.function.Function<org.apache.pekko.actor.typed.ActorRef<fabric.core.entity
          .Reply>, IndexCommand> command) {
    return dynamo.entities().ask(GlobalIndexDefinition.TYPE_KEY,
        id.indexEntityId(t.tableId(), indexName), command, PartitionReply.Page.class)
        .thenApply(p -> new Page(p.items(), p.scannedCount(), p.lastKey()))
        .exceptionallyCompose(failure -> {
          Throwable cause = failure instanceof java.util.concurrent.CompletionException
              && failure.getCause() != null ? failure.getCause() : failure;
          if (!DynamoErrors.isResourceNotFound(cause)) {
            return CompletableFuture.failedFuture(cause);
          }
          dynamo.forget(id);
          return dynamo.active(id).thenCompose(fresh -> {
            if (globalIndex(fresh, indexName) == null) {
              throw DynamoErrors.validation("The table does not have the specified index: "
                  + indexName);
            }
            return CompletableFuture.<Page>failedFuture(cause);
          });
        });
  }

  private static int index(TableState t, long token) {
    int i = 0;
    for (int p = 0; p < t.partitions().size(); p++) {
      if (t.partitions().get(p).fromToken() <= token) {
        i = p;
      }
    }
    return i;
  }

  private CompletionStage<Page> scanFrom(TableId id, TableState t, ReadPreference read,
      fabric.dynamo.partition.ReadCharge charge, RequestExpressions expressions, int partition,
      long from, long to, Map<String, AttributeValue> start, int limit, List<Item> items,
      int scanned, long bytes) {
    boolean last = partition + 1 >= t.partitions().size();
    long partitionEnd = last ? Long.MAX_VALUE
        : t.partitions().get(partition + 1).fromToken() - 1;
    long end = Math.min(to, partitionEnd);
    int left = limit - scanned;
    int bytesLeft = (int) Math.max(1, PAGE_BYTES - bytes);
    String partitionId = id.partitionEntityId(t.tableId(), t.partitions().get(partition).id());
    var asked = dynamo.entities().ask(PartitionDefinition.TYPE_KEY, partitionId, read,
        r -> new PartitionCommand.Scan(start, from, end, left, bytesLeft, expressions, charge,
            r),
        PartitionReply.Page.class);
    return (read.consistency() == fabric.core.replication.ReadConsistency.STRONG
        ? dynamo.ownedRead(id, partitionId, asked) : asked).thenCompose(page -> {
          items.addAll(page.items());
          int scannedNow = scanned + page.scannedCount();
          long bytesNow = bytes + page.scannedBytes();
          if (page.lastKey() != null || end >= to || last) {
            return CompletableFuture.completedFuture(new Page(items, scannedNow,
                page.lastKey()));
          }
          // A partition stops early (lastKey set) whenever the page fills, even on its last
          // item, so here the page has room left: go on with the next partition.
          return scanFrom(id, t, read, charge, expressions, partition + 1, end + 1, to, null,
              limit, items, scannedNow, bytesNow);
        });
  }
}
