package fabric.bench;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import fabric.dynamodb.v1.AttributeValue;
import fabric.dynamodb.v1.BatchWriteItemRequest;
import fabric.dynamodb.v1.BatchWriteItemResponse;
import fabric.dynamodb.v1.CreateTableRequest;
import fabric.dynamodb.v1.CreateTableResponse;
import fabric.dynamodb.v1.DeleteTableRequest;
import fabric.dynamodb.v1.DeleteTableResponse;
import fabric.dynamodb.v1.DescribeTableRequest;
import fabric.dynamodb.v1.DescribeTableResponse;
import fabric.dynamodb.v1.DynamoDBGrpc;
import fabric.dynamodb.v1.GetItemRequest;
import fabric.dynamodb.v1.GetItemResponse;
import fabric.dynamodb.v1.Item;
import fabric.dynamodb.v1.ListTablesRequest;
import fabric.dynamodb.v1.ListTablesResponse;
import fabric.dynamodb.v1.PutItemRequest;
import fabric.dynamodb.v1.PutItemResponse;
import fabric.dynamodb.v1.QueryRequest;
import fabric.dynamodb.v1.QueryResponse;
import fabric.dynamodb.v1.TableDescription;
import fabric.dynamodb.v1.WriteRequest;
import fabric.dynamodb.v1.WriteRequestList;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * TEST ONLY: a throwaway in-memory DynamoDB service so that the benchmark client can be
 * checked end to end without a cluster. It implements just the calls the benchmark makes, for
 * tables keyed pk (S) + sk (N), with none of the real semantics (Query understands only
 * "pk = :p"; no expressions, no size limits), and must never be used outside
 * DynamoBenchEndToEndTest: its numbers say nothing about fabric. Several instances can share
 * one set of tables, like the nodes of a cluster.
 */
final class InMemoryDynamoForBenchTest extends DynamoDBGrpc.DynamoDBImplBase
    implements AutoCloseable {
  private static final Metadata.Key<String> ACCOUNT =
      Metadata.Key.of("x-fabric-account-id", Metadata.ASCII_STRING_MARSHALLER);

  /** Items by table, then pk, then sk; shared between the instances built on one another. */
  private final Map<String, Table> tables;
  private final Server server;

  // What the client sent, for the test to check the wire shape of its requests.
  final Set<String> accountsSeen = ConcurrentHashMap.newKeySet();
  final Set<Integer> itemSizes = ConcurrentHashMap.newKeySet();
  final Set<Boolean> getConsistency = ConcurrentHashMap.newKeySet();
  final Set<Integer> queryLimits = ConcurrentHashMap.newKeySet();
  final Set<String> keyConditions = ConcurrentHashMap.newKeySet();
  final Set<String> billingModes = ConcurrentHashMap.newKeySet();
  final AtomicLong puts = new AtomicLong();
  final AtomicLong gets = new AtomicLong();
  final AtomicLong queries = new AtomicLong();
  final AtomicInteger largestBatchWrite = new AtomicInteger();
  final AtomicInteger tablesCreated = new AtomicInteger();
  final AtomicInteger describesWhileCreating = new AtomicInteger();
  /** When set, every GetItem fails with INTERNAL, AWS code InternalServerError, this text. */
  volatile String failGetsWith;

  private static final class Table {
    final NavigableMap<String, NavigableMap<Long, Map<String, AttributeValue>>> items =
        new ConcurrentSkipListMap<>();
    /** DescribeTable answers CREATING this many times first, as a slow creation would. */
    final AtomicInteger creatingDescribes = new AtomicInteger(2);
    /** The first BatchWriteItem leaves its last request unprocessed, as a throttled one. */
    final AtomicInteger unprocessedOnce = new AtomicInteger(1);
  }

  InMemoryDynamoForBenchTest() throws IOException {
    this(new ConcurrentHashMap<>());
  }

  /** Another node of the same fake: same tables, own port and own counters. */
  InMemoryDynamoForBenchTest(InMemoryDynamoForBenchTest sibling) throws IOException {
    this(sibling.tables);
  }

  private InMemoryDynamoForBenchTest(Map<String, Table> tables) throws IOException {
    this.tables = tables;
    ServerInterceptor recordAccount = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        accountsSeen.add(String.valueOf(headers.get(ACCOUNT)));
        return next.startCall(call, headers);
      }
    };
    server = NettyServerBuilder.forAddress(new InetSocketAddress("localhost", 0))
        .addService(ServerInterceptors.intercept(this, recordAccount))
        .build()
        .start();
  }

  String target() {
    return "localhost:" + server.getPort();
  }

  int tableCount() {
    return tables.size();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  /** A status as the fabric shapes it: the AWS code in an ErrorInfo detail. */
  static StatusRuntimeException awsError(io.grpc.Status.Code code, String awsCode,
      String message) {
    return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
        .setCode(code.value()).setMessage(message)
        .addDetails(Any.pack(ErrorInfo.newBuilder().setReason(awsCode)
            .setDomain("dynamodb.amazonaws.com").build()))
        .build());
  }

  private Table table(String name, StreamObserver<?> out) {
    Table t = tables.get(name);
    if (t == null) {
      out.onError(awsError(io.grpc.Status.Code.NOT_FOUND, "ResourceNotFoundException",
          "Requested resource not found: Table: " + name + " not found"));
    }
    return t;
  }

  private static <T> void reply(StreamObserver<T> out, T value) {
    out.onNext(value);
    out.onCompleted();
  }

  /** DynamoDB's size, as the bench computes it: names + values, numbers ~ digits / 2 + 1. */
  private static int size(Map<String, AttributeValue> item) {
    int size = 0;
    for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
      size += e.getKey().length();
      AttributeValue v = e.getValue();
      size += v.hasN() ? DynamoWorkload.numberSize(Long.parseLong(v.getN())) : v.getS().length();
    }
    return size;
  }

  private void store(Table t, Map<String, AttributeValue> item) {
    itemSizes.add(size(item));
    t.items.computeIfAbsent(item.get("pk").getS(), k -> new ConcurrentSkipListMap<>())
        .put(Long.parseLong(item.get("sk").getN()), item);
  }

  @Override
  public void listTables(ListTablesRequest req, StreamObserver<ListTablesResponse> out) {
    reply(out, ListTablesResponse.getDefaultInstance());
  }

  @Override
  public void createTable(CreateTableRequest req, StreamObserver<CreateTableResponse> out) {
    billingModes.add(req.getBillingMode());
    if (tables.putIfAbsent(req.getTableName(), new Table()) == null) {
      tablesCreated.incrementAndGet();
    }
    reply(out, CreateTableResponse.newBuilder().setTableDescription(TableDescription
        .newBuilder().setTableName(req.getTableName()).setTableStatus("CREATING")).build());
  }

  @Override
  public void describeTable(DescribeTableRequest req,
      StreamObserver<DescribeTableResponse> out) {
    Table t = table(req.getTableName(), out);
    if (t != null) {
      boolean creating = t.creatingDescribes.getAndDecrement() > 0;
      if (creating) {
        describesWhileCreating.incrementAndGet();
      }
      reply(out, DescribeTableResponse.newBuilder().setTable(TableDescription.newBuilder()
          .setTableName(req.getTableName()).setTableStatus(creating ? "CREATING" : "ACTIVE"))
          .build());
    }
  }

  @Override
  public void deleteTable(DeleteTableRequest req, StreamObserver<DeleteTableResponse> out) {
    tables.remove(req.getTableName());
    reply(out, DeleteTableResponse.newBuilder().setTableDescription(TableDescription
        .newBuilder().setTableName(req.getTableName()).setTableStatus("DELETING")).build());
  }

  @Override
  public void putItem(PutItemRequest req, StreamObserver<PutItemResponse> out) {
    Table t = table(req.getTableName(), out);
    if (t != null) {
      store(t, req.getItemMap());
      puts.incrementAndGet();
      reply(out, PutItemResponse.getDefaultInstance());
    }
  }

  @Override
  public void getItem(GetItemRequest req, StreamObserver<GetItemResponse> out) {
    if (failGetsWith != null) {
      out.onError(awsError(io.grpc.Status.Code.INTERNAL, "InternalServerError", failGetsWith));
      return;
    }
    Table t = table(req.getTableName(), out);
    if (t == null) {
      return;
    }
    gets.incrementAndGet();
    getConsistency.add(req.getConsistentRead());
    NavigableMap<Long, Map<String, AttributeValue>> partition =
        t.items.get(req.getKeyMap().get("pk").getS());
    Map<String, AttributeValue> item = partition == null ? null
        : partition.get(Long.parseLong(req.getKeyMap().get("sk").getN()));
    GetItemResponse.Builder r = GetItemResponse.newBuilder();
    if (item != null) {
      r.setItem(Item.newBuilder().putAllAttributes(item));
    }
    reply(out, r.build());
  }

  @Override
  public void query(QueryRequest req, StreamObserver<QueryResponse> out) {
    Table t = table(req.getTableName(), out);
    if (t == null) {
      return;
    }
    queries.incrementAndGet();
    queryLimits.add(req.getLimit());
    keyConditions.add(req.getKeyConditionExpression());
    NavigableMap<Long, Map<String, AttributeValue>> partition =
        t.items.get(req.getExpressionAttributeValuesMap().get(":p").getS());
    QueryResponse.Builder r = QueryResponse.newBuilder();
    if (partition != null) {
      for (Map<String, AttributeValue> item : partition.values()) {
        if (r.getItemsCount() == req.getLimit()) {
          r.putAllLastEvaluatedKey(Map.of("pk", item.get("pk"), "sk", item.get("sk")));
          break;
        }
        r.addItems(Item.newBuilder().putAllAttributes(item));
      }
    }
    reply(out, r.setCount(r.getItemsCount()).setScannedCount(r.getItemsCount()).build());
  }

  @Override
  public void batchWriteItem(BatchWriteItemRequest req,
      StreamObserver<BatchWriteItemResponse> out) {
    BatchWriteItemResponse.Builder r = BatchWriteItemResponse.newBuilder();
    for (Map.Entry<String, WriteRequestList> e : req.getRequestItemsMap().entrySet()) {
      Table t = table(e.getKey(), out);
      if (t == null) {
        return;
      }
      largestBatchWrite.accumulateAndGet(e.getValue().getRequestsCount(), Math::max);
      var requests = e.getValue().getRequestsList();
      int last = requests.size() - 1;
      for (int i = 0; i < requests.size(); i++) {
        WriteRequest w = requests.get(i);
        if (i == last && last > 0 && t.unprocessedOnce.getAndDecrement() > 0) {
          r.putUnprocessedItems(e.getKey(), WriteRequestList.newBuilder().addRequests(w)
              .build());
        } else if (w.hasPutRequestItem()) {
          store(t, w.getPutRequestItem().getAttributesMap());
        }
      }
    }
    reply(out, r.build());
  }
}
