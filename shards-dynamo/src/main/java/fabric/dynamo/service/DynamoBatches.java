package fabric.dynamo.service;

import fabric.core.error.ServiceException;
import fabric.dynamo.model.AttributeValue;
import fabric.dynamo.model.DynamoErrors;
import fabric.dynamo.model.Item;
import fabric.dynamo.model.PrimaryKey;
import fabric.dynamo.partition.RequestExpressions;
import fabric.dynamo.table.TableState;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** BatchWriteItem and BatchGetItem: checked as a whole, then fanned out to the partitions. */
public final class DynamoBatches {
  private final DynamoService dynamo;

  public DynamoBatches(DynamoService dynamo) {
    this.dynamo = dynamo;
  }

  /** One write of a BatchWriteItem: a put ({@code item}) or a delete ({@code key}). */
  public record Write(String table, Item item, Map<String, AttributeValue> key) {}

  /** DynamoDB's batch limits. */
  public static final int MAX_BATCH_WRITES = 25;
  public static final int MAX_BATCH_GETS = 100;

  /**
   * BatchWriteItem: every write checked first (a bad one fails the whole call, nothing
   * written), then applied independently, as DynamoDB does; writes that could not be
   * applied now (a partition moving) come back unprocessed for the caller to retry.
   */
  public CompletionStage<List<Write>> batchWrite(String account, List<Write> writes) {
    if (writes.isEmpty() || writes.size() > MAX_BATCH_WRITES) {
      throw DynamoErrors.validation("1 validation error detected: Value at 'requestItems' "
          + "failed to satisfy constraint: Map value must satisfy constraint: [Member must "
          + "have length less than or equal to 25, Member must have length greater than or "
          + "equal to 1]");
    }
    return dynamo.activeTables(account, writes.stream().map(Write::table).distinct().toList())
        .thenCompose(tableStates -> {
          java.util.Set<String> seen = new java.util.HashSet<>();
          for (Write w : writes) {
            var schema = tableStates.get(w.table()).spec().keySchema();
            PrimaryKey key = w.item() != null ? schema.keyOfItem(w.item().checkSize())
                : schema.keyOf(w.key());
            if (w.item() != null) {
              tableStates.get(w.table()).spec().checkIndexKeys(w.item());
            }
            if (!seen.add(w.table() + "\n" + schema.asMap(key))) {
              throw DynamoErrors.validation("Provided list of item keys contains duplicates");
            }
          }
          List<CompletableFuture<Write>> results = writes.stream().map(w -> (w.item() != null
              ? dynamo.items().putItem(account, w.table(), w.item(), RequestExpressions.NONE,
                  false)
              : dynamo.items().deleteItem(account, w.table(), w.key(), RequestExpressions.NONE,
                  false))
              .handle((ok, failure) -> failure == null ? (Write) null : unprocessed(w, failure))
              .toCompletableFuture()).toList();
          return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
              .thenApply(v -> results.stream().map(CompletableFuture::join)
                  .filter(java.util.Objects::nonNull).toList());
        });
  }

  /** A failed write of a batch: unprocessed if it may succeed on a retry, else the error. */
  private static <T> T unprocessed(T request, Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    if (cause instanceof ServiceException se && (se.error().category()
        == fabric.core.error.ErrorCategory.UNAVAILABLE || throttled(se))) {
      return request; // AWS too answers a throttled key unprocessed
    }
    throw cause instanceof RuntimeException re ? re : new CompletionException(cause);
  }



  private static boolean throttled(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    return cause instanceof ServiceException se && se.error().code().equals(
        DynamoErrors.ProvisionedThroughputExceededException.awsCode());
  }

  /** One key of a BatchGetItem. */
  public record Get(String table, Map<String, AttributeValue> key,
      RequestExpressions projection, boolean consistentRead) {}

  /** What a BatchGetItem found (per table) and the keys to ask again. */
  public record BatchGot(Map<String, List<Item>> items, List<Get> unprocessed) {}

  public CompletionStage<BatchGot> batchGet(String account, List<Get> gets) {
    if (gets.isEmpty()) {
      throw DynamoErrors.validation("1 validation error detected: Value at 'requestItems' "
          + "failed to satisfy constraint: Member must have length greater than or equal to 1");
    }
    if (gets.size() > MAX_BATCH_GETS) {
      throw DynamoErrors.validation("Too many items requested for the BatchGetItem call");
    }
    return dynamo.activeTables(account, gets.stream().map(Get::table).distinct().toList())
        .thenCompose(tableStates -> {
          java.util.Set<String> seen = new java.util.HashSet<>();
          for (Get g : gets) {
            var schema = tableStates.get(g.table()).spec().keySchema();
            if (!seen.add(g.table() + "\n" + schema.asMap(schema.keyOf(g.key())))) {
              throw DynamoErrors.validation("Provided list of item keys contains duplicates");
            }
          }
          java.util.concurrent.atomic.AtomicInteger throttled =
              new java.util.concurrent.atomic.AtomicInteger();
          List<CompletableFuture<Object>> results = gets.stream().map(g ->
              dynamo.items().getItem(account, g.table(), g.key(), g.projection(),
                  g.consistentRead())
                  .handle((got, failure) -> {
                    if (failure == null) {
                      return (Object) java.util.Optional.ofNullable(got.item());
                    }
                    if (throttled(failure)) {
                      throttled.incrementAndGet();
                    }
                    return unprocessed(g, failure);
                  })
                  .toCompletableFuture()).toList();
          return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
              .thenApply(v -> {
                Map<String, List<Item>> found = new java.util.LinkedHashMap<>();
                List<Get> again = new java.util.ArrayList<>();
                for (int i = 0; i < gets.size(); i++) {
                  Object r = results.get(i).join();
                  if (r instanceof Get g) {
                    again.add(g);
                  } else {
                    List<Item> table = found.computeIfAbsent(gets.get(i).table(),
                        k -> new java.util.ArrayList<>());
                    ((java.util.Optional<?>) r).ifPresent(item -> table.add((Item) item));
                  }
                }
                if (throttled.get() == gets.size()) { // AWS: none could be read
                  throw DynamoErrors.ProvisionedThroughputExceededException.exception("The "
                      + "level of configured provisioned throughput for the table was "
                      + "exceeded. Consider increasing your provisioning level with the "
                      + "UpdateTable API.");
                }
                return new BatchGot(found, again);
              });
        });
  }
}
