package fabric.drills.workload;

import fabric.drills.cluster.FabricCluster;
import fabric.drills.workload.SqsClient.Failed;
import fabric.drills.workload.SqsClient.Ok;
import fabric.drills.workload.SqsClient.Result;
import fabric.drills.workload.SqsClient.Unknown;
import fabric.dynamodb.v1.AttributeDefinition;
import fabric.dynamodb.v1.AttributeValue;
import fabric.dynamodb.v1.CreateTableRequest;
import fabric.dynamodb.v1.DynamoDBGrpc;
import fabric.dynamodb.v1.Get;
import fabric.dynamodb.v1.GetItemRequest;
import fabric.dynamodb.v1.GetItemResponse;
import fabric.dynamodb.v1.ItemResponse;
import fabric.dynamodb.v1.KeySchemaElement;
import fabric.dynamodb.v1.PutItemRequest;
import fabric.dynamodb.v1.TransactGetItem;
import fabric.dynamodb.v1.TransactGetItemsRequest;
import fabric.dynamodb.v1.TransactWriteItem;
import fabric.dynamodb.v1.TransactWriteItemsRequest;
import fabric.dynamodb.v1.Update;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * DynamoDB over the fabric's gRPC API on one node, as the drill's clients use it: the
 * generated stub with the caller's account in the {@code x-fabric-account-id} header, every
 * answer sorted into a value, a definite refusal or an unknown outcome (the same
 * {@link Result} as {@link SqsClient}). Items have the hash key {@code id} (S); accounts hold
 * a number {@code balance}, ledger items a string {@code v}.
 */
public final class DynamoClient implements AutoCloseable {
  public static final String KEY = "id";
  public static final String BALANCE = "balance";
  public static final String VALUE = "v";

  private final FabricCluster.Node node;
  private final ManagedChannel channel;
  private final DynamoDBGrpc.DynamoDBBlockingStub stub;
  private final long deadlineMillis;

  public DynamoClient(FabricCluster.Node node, String account, long deadlineMillis) {
    this.node = node;
    this.deadlineMillis = deadlineMillis;
    this.channel = NettyChannelBuilder.forAddress(node.host(), node.grpcPort()).usePlaintext()
        .build();
    Metadata headers = new Metadata();
    headers.put(SqsClient.ACCOUNT_HEADER, account);
    this.stub = DynamoDBGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  public String nodeId() {
    return node.id();
  }

  private DynamoDBGrpc.DynamoDBBlockingStub call() {
    return stub.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS);
  }

  static AttributeValue s(String v) {
    return AttributeValue.newBuilder().setS(v).build();
  }

  static AttributeValue n(long v) {
    return AttributeValue.newBuilder().setN(Long.toString(v)).build();
  }

  /**
   * Creates the table (hash key {@code id} S, PAY_PER_REQUEST), or finds it already there (a
   * retry after an unknown outcome); answers its table id ("" if it already existed).
   */
  public Result<String> createTable(String table) {
    try {
      return new Ok<>(call().createTable(CreateTableRequest.newBuilder().setTableName(table)
          .setBillingMode("PAY_PER_REQUEST")
          .addAttributeDefinitions(AttributeDefinition.newBuilder().setAttributeName(KEY)
              .setAttributeType("S"))
          .addKeySchema(KeySchemaElement.newBuilder().setAttributeName(KEY)
              .setKeyType("HASH")).build()).getTableDescription().getTableId());
    } catch (StatusRuntimeException e) {
      return classify(e);
    }
  }

  /** The table's {@code <region>/<name>/<tableId>} (DescribeTable), for the name of its
   *  partitions in the cluster view (the region is its ARN's). */
  public Result<String> tablePath(String table) {
    try {
      var t = call().describeTable(fabric.dynamodb.v1.DescribeTableRequest.newBuilder()
          .setTableName(table).build()).getTable();
      return new Ok<>(t.getTableArn().split(":")[3] + "/" + table + "/" + t.getTableId());
    } catch (StatusRuntimeException e) {
      return classify(e);
    }
  }

  /** PutItem of an account with its balance (no condition: the drill's setup). */
  public Result<Void> putAccount(String table, String id, long balance) {
    try {
      call().putItem(PutItemRequest.newBuilder().setTableName(table).putItem(KEY, s(id))
          .putItem(BALANCE, n(balance)).build());
      return new Ok<>(null);
    } catch (StatusRuntimeException e) {
      return classify(e);
    }
  }

  /** PutItem of a ledger item {@code {id, v}}. */
  public Result<Void> putLedger(String table, String id, String value) {
    try {
      call().putItem(PutItemRequest.newBuilder().setTableName(table).putItem(KEY, s(id))
          .putItem(VALUE, s(value)).build());
      return new Ok<>(null);
    } catch (StatusRuntimeException e) {
      return classify(e);
    }
  }

  /** Strongly consistent GetItem of a ledger item: its {@code v}, empty if absent. */
  public Result<Optional<String>> getLedger(String table, String id) {
    try {
      GetItemResponse r = call().getItem(GetItemRequest.newBuilder().setTableName(table)
          .putKey(KEY, s(id)).setConsistentRead(true).build());
      if (!r.hasItem()) {
        return new Ok<>(Optional.empty());
      }
      AttributeValue v = r.getItem().getAttributesMap().get(VALUE);
      return new Ok<>(Optional.of(v == null ? "<no attribute v>" : v.getS()));
    } catch (StatusRuntimeException e) {
      return classify(e);
    }
  }

  /**
   * TransactWriteItems: {@code amount} from {@code from} (condition {@code balance >=
   * :amount}) to {@code to}. A TransactionCanceledException (a failed condition, a
   * conflict) is a definite refusal: nothing moved.
   */
  public Result<Void> transfer(String table, String from, String to, long amount) {
    Update debit = Update.newBuilder().setTableName(table).putKey(KEY, s(from))
        .setUpdateExpression("ADD " + BALANCE + " :minus")
        .setConditionExpression(BALANCE + " >= :amount")
        .putExpressionAttributeValues(":minus", n(-amount))
        .putExpressionAttributeValues(":amount", n(amount)).build();
    Update credit = Update.newBuilder().setTableName(table).putKey(KEY, s(to))
        .setUpdateExpression("ADD " + BALANCE + " :plus")
        .putExpressionAttributeValues(":plus", n(amount)).build();
    try {
      call().transactWriteItems(TransactWriteItemsRequest.newBuilder()
          .addTransactItems(TransactWriteItem.newBuilder().setUpdate(debit))
          .addTransactItems(TransactWriteItem.newBuilder().setUpdate(credit)).build());
      return new Ok<>(null);
    } catch (StatusRuntimeException e) {
      return classify(e);
    }
  }

  /**
   * TransactGetItems of the accounts: their balances as of one moment (in the order asked;
   * null for an absent account or balance, which the checker reports).
   */
  public Result<Map<String, Long>> balances(String table, List<String> ids) {
    TransactGetItemsRequest.Builder request = TransactGetItemsRequest.newBuilder();
    for (String id : ids) {
      request.addTransactItems(TransactGetItem.newBuilder().setGet(Get.newBuilder()
          .setTableName(table).putKey(KEY, s(id))));
    }
    try {
      List<ItemResponse> responses = call().transactGetItems(request.build())
          .getResponsesList();
      Map<String, Long> out = new LinkedHashMap<>();
      for (int i = 0; i < ids.size(); i++) {
        AttributeValue b = i < responses.size() && responses.get(i).hasItem()
            ? responses.get(i).getItem().getAttributesMap().get(BALANCE) : null;
        out.put(ids.get(i), b == null ? null : Long.parseLong(b.getN()));
      }
      return new Ok<>(out);
    } catch (StatusRuntimeException e) {
      return classify(e);
    }
  }

  /**
   * Refusals that prove the request did nothing (a cancelled transaction, a failed
   * condition, the caller's mistake, a missing table) are definite; unavailability,
   * timeouts, throttling and internal errors are not.
   */
  private <T> Result<T> classify(StatusRuntimeException e) {
    Status.Code code = e.getStatus().getCode();
    String aws = SqsClient.awsCode(e);
    String error = node.id() + ": " + code + (aws.isEmpty() ? "" : "/" + aws) + " "
        + e.getStatus().getDescription();
    boolean definite = code == Status.Code.INVALID_ARGUMENT || code == Status.Code.NOT_FOUND
        || code == Status.Code.ALREADY_EXISTS || code == Status.Code.PERMISSION_DENIED
        || code == Status.Code.FAILED_PRECONDITION;
    return definite ? new Failed<>(error) : new Unknown<>(error);
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
