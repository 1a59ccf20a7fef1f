package fabric.bench;

import fabric.dynamodb.v1.AttributeDefinition;
import fabric.dynamodb.v1.AttributeValue;
import fabric.dynamodb.v1.BatchWriteItemRequest;
import fabric.dynamodb.v1.BatchWriteItemResponse;
import fabric.dynamodb.v1.CreateTableRequest;
import fabric.dynamodb.v1.DeleteTableRequest;
import fabric.dynamodb.v1.DescribeTableRequest;
import fabric.dynamodb.v1.DynamoDBGrpc;
import fabric.dynamodb.v1.GetItemRequest;
import fabric.dynamodb.v1.GetItemResponse;
import fabric.dynamodb.v1.Item;
import fabric.dynamodb.v1.KeySchemaElement;
import fabric.dynamodb.v1.ListTablesRequest;
import fabric.dynamodb.v1.PutItemRequest;
import fabric.dynamodb.v1.QueryRequest;
import fabric.dynamodb.v1.QueryResponse;
import fabric.dynamodb.v1.WriteRequest;
import fabric.dynamodb.v1.WriteRequestList;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The DynamoDB calls the benchmark makes, on one channel, against a table whose key is
 * {@code pk} (S, HASH) + {@code sk} (N, RANGE). Every call is blocking (one worker thread =
 * one call in flight) and every failure of the whole call surfaces as a
 * {@link StatusRuntimeException}.
 */
final class DynamoOps {
  static final String PK = "pk";
  static final String SK = "sk";
  static final String DATA = "data";
  /** The key condition of every Query: one partition, all its sort keys. */
  static final String KEY_CONDITION = "pk = :p";

  private final DynamoDBGrpc.DynamoDBBlockingStub blocking;
  private final long timeoutNanos;

  DynamoOps(Channel channel, Duration opTimeout) {
    this.blocking = DynamoDBGrpc.newBlockingStub(channel);
    this.timeoutNanos = opTimeout.toNanos();
  }

  private DynamoDBGrpc.DynamoDBBlockingStub stub() {
    return blocking.withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS);
  }

  /** A cheap read, to check that the target answers before the run starts. */
  void ping(Duration timeout) {
    blocking.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .listTables(ListTablesRequest.newBuilder().setLimit(1).build());
  }

  /** CreateTable: PAY_PER_REQUEST, pk S + sk N. Returns the status it answered with. */
  String createTable(String name, Duration timeout) {
    return blocking.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .createTable(CreateTableRequest.newBuilder().setTableName(name)
            .addAttributeDefinitions(AttributeDefinition.newBuilder().setAttributeName(PK)
                .setAttributeType("S"))
            .addAttributeDefinitions(AttributeDefinition.newBuilder().setAttributeName(SK)
                .setAttributeType("N"))
            .addKeySchema(KeySchemaElement.newBuilder().setAttributeName(PK)
                .setKeyType("HASH"))
            .addKeySchema(KeySchemaElement.newBuilder().setAttributeName(SK)
                .setKeyType("RANGE"))
            .setBillingMode("PAY_PER_REQUEST")
            .build())
        .getTableDescription().getTableStatus();
  }

  String tableStatus(String name, Duration timeout) {
    return blocking.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .describeTable(DescribeTableRequest.newBuilder().setTableName(name).build())
        .getTable().getTableStatus();
  }

  void deleteTable(String name) {
    stub().deleteTable(DeleteTableRequest.newBuilder().setTableName(name).build());
  }

  static AttributeValue s(String value) {
    return AttributeValue.newBuilder().setS(value).build();
  }

  static AttributeValue n(long value) {
    return AttributeValue.newBuilder().setN(Long.toString(value)).build();
  }

  static Map<String, AttributeValue> key(String pk, long sk) {
    return Map.of(PK, s(pk), SK, n(sk));
  }

  static Map<String, AttributeValue> item(String pk, long sk, String data) {
    return Map.of(PK, s(pk), SK, n(sk), DATA, s(data));
  }

  void put(String table, Map<String, AttributeValue> item) {
    stub().putItem(PutItemRequest.newBuilder().setTableName(table).putAllItem(item).build());
  }

  /** The item, or null if there is none with the key. */
  Item get(String table, String pk, long sk, boolean consistentRead) {
    GetItemResponse r = stub().getItem(GetItemRequest.newBuilder().setTableName(table)
        .putAllKey(key(pk, sk)).setConsistentRead(consistentRead).build());
    return r.hasItem() ? r.getItem() : null;
  }

  /** The first page of at most {@code limit} items of partition {@code pk}, ascending. */
  QueryResponse query(String table, String pk, int limit, boolean consistentRead) {
    return stub().query(QueryRequest.newBuilder().setTableName(table)
        .setKeyConditionExpression(KEY_CONDITION)
        .putExpressionAttributeValues(":p", s(pk))
        .setLimit(limit).setConsistentRead(consistentRead).build());
  }

  /** At most 25 puts; returns the response, whose unprocessed items the caller retries. */
  BatchWriteItemResponse batchPut(String table, List<Map<String, AttributeValue>> items) {
    WriteRequestList.Builder requests = WriteRequestList.newBuilder();
    for (Map<String, AttributeValue> item : items) {
      requests.addRequests(WriteRequest.newBuilder()
          .setPutRequestItem(Item.newBuilder().putAllAttributes(item)));
    }
    return stub().batchWriteItem(BatchWriteItemRequest.newBuilder()
        .putRequestItems(table, requests.build()).build());
  }

  /** Retries what a BatchWriteItem left unprocessed, in the same shape. */
  BatchWriteItemResponse batchWrite(String table, WriteRequestList requests) {
    return stub().batchWriteItem(BatchWriteItemRequest.newBuilder()
        .putRequestItems(table, requests).build());
  }
}
