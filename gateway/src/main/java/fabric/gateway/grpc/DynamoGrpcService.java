package fabric.gateway.grpc;

import fabric.dynamo.model.DynamoErrors;
import fabric.dynamo.model.Item;
import fabric.dynamo.partition.RequestExpressions;
import fabric.dynamo.service.DynamoService;
import fabric.dynamo.service.TableId;
import fabric.dynamo.table.TableState;
import fabric.dynamodb.v1.CreateTableRequest;
import fabric.dynamodb.v1.CreateTableResponse;
import fabric.dynamodb.v1.DeleteItemRequest;
import fabric.dynamodb.v1.DeleteItemResponse;
import fabric.dynamodb.v1.DeleteTableRequest;
import fabric.dynamodb.v1.DeleteTableResponse;
import fabric.dynamodb.v1.DescribeTableRequest;
import fabric.dynamodb.v1.DescribeTableResponse;
import fabric.dynamodb.v1.DescribeTimeToLiveRequest;
import fabric.dynamodb.v1.DescribeTimeToLiveResponse;
import fabric.dynamodb.v1.DynamoDBGrpc;
import fabric.dynamodb.v1.GetItemRequest;
import fabric.dynamodb.v1.GetItemResponse;
import fabric.dynamodb.v1.ListTagsOfResourceRequest;
import fabric.dynamodb.v1.ListTagsOfResourceResponse;
import fabric.dynamodb.v1.PutItemRequest;
import fabric.dynamodb.v1.PutItemResponse;
import fabric.dynamodb.v1.Tag;
import fabric.dynamodb.v1.TagResourceRequest;
import fabric.dynamodb.v1.TagResourceResponse;
import fabric.dynamodb.v1.TimeToLiveSpecification;
import fabric.dynamodb.v1.UntagResourceRequest;
import fabric.dynamodb.v1.UntagResourceResponse;
import fabric.dynamodb.v1.UpdateTimeToLiveRequest;
import fabric.dynamodb.v1.UpdateTimeToLiveResponse;
import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The DynamoDB gRPC service: protobuf to {@link DynamoService} calls and back; the table
 * operations here, the item operations in {@link DynamoItemCalls}. Operations not built yet
 * (transactions, UpdateTable, streams) answer UNIMPLEMENTED.
 */
public final class DynamoGrpcService extends DynamoItemCalls implements BindableService {
  public DynamoGrpcService(DynamoService dynamo) {
    super(dynamo);
  }

  @Override
  public ServerServiceDefinition bindService() {
    return ServerInterceptors.intercept(DynamoDBGrpc.bindService(this),
        new AccountInterceptor(errors), new CallerRegion());
  }

  /** Descriptions in the call's region (captured here: the factory runs after the call's
   *  thread has moved on; the region is checked when the call asks its service). */
  private TableDescriptionFactory describe(String account) {
    String region = CallerRegion.current();
    return (state, name) -> DynamoProtoMapping.description(state, name,
        regions.inRegion(region).table(account, name).arn());
  }

  @FunctionalInterface
  private interface TableDescriptionFactory {
    fabric.dynamodb.v1.TableDescription of(TableState state, String name);
  }

  @Override
  public void createTable(CreateTableRequest request,
      StreamObserver<CreateTableResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    var describe = describe(account);
    UnaryCalls.unary(errors, "CreateTable", responses, () -> {
      TableId id = dynamo().table(account, request.getTableName());
      Map<String, String> tags = new LinkedHashMap<>();
      request.getTagsList().forEach(t -> tags.put(t.getKey(), t.getValue()));
      return dynamo().createTable(account, id.name(), DynamoProtoMapping.spec(request), tags);
    }, t -> CreateTableResponse.newBuilder().setTableDescription(
        describe.of(t, request.getTableName())).build());
  }

  @Override
  public void describeTable(DescribeTableRequest request,
      StreamObserver<DescribeTableResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "DescribeTable", responses, () -> {
      DynamoService dynamo = dynamo(); // the call's region, before the call goes async
      return dynamo.describeTable(account, request.getTableName()).thenCompose(t ->
          !TableState.ACTIVE.equals(t.status())
              ? described(dynamo, account, t, request.getTableName())
              : dynamo.counts(account, t).thenCompose(c -> described(dynamo, account, t,
                  request.getTableName()).thenApply(d -> d.toBuilder()
                      .setItemCount(c.itemCount()).setTableSizeBytes(c.sizeBytes())
                      .build())));
    },
        table -> DescribeTableResponse.newBuilder().setTable(table).build());
  }

  /** The description with each global index's status and counts from its entity. */
  private static java.util.concurrent.CompletionStage<fabric.dynamodb.v1.TableDescription>
      described(DynamoService dynamo, String account, TableState t, String name) {
    return dynamo.globalIndexes().statuses(account, t).thenApply(gsis ->
        DynamoProtoMapping.description(t, name, dynamo.table(account, name).arn(), gsis));
  }

  @Override
  public void deleteTable(DeleteTableRequest request,
      StreamObserver<DeleteTableResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    var describe = describe(account);
    UnaryCalls.unary(errors, "DeleteTable", responses,
        () -> dynamo().deleteTable(account, request.getTableName()),
        t -> DeleteTableResponse.newBuilder().setTableDescription(describe.of(t,
            request.getTableName())).build());
  }

  @Override
  public void updateTimeToLive(UpdateTimeToLiveRequest request,
      StreamObserver<UpdateTimeToLiveResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    TimeToLiveSpecification spec = request.getTimeToLiveSpecification();
    UnaryCalls.unary(errors, "UpdateTimeToLive", responses,
        () -> dynamo().updateTimeToLive(account, request.getTableName(), spec.getEnabled(),
            spec.getAttributeName()),
        t -> UpdateTimeToLiveResponse.newBuilder().setTimeToLiveSpecification(spec).build());
  }

  @Override
  public void describeTimeToLive(DescribeTimeToLiveRequest request,
      StreamObserver<DescribeTimeToLiveResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "DescribeTimeToLive", responses,
        () -> dynamo().describeTable(account, request.getTableName()),
        t -> {
          var b = DescribeTimeToLiveResponse.newBuilder();
          if (t.ttlAttribute() == null) {
            b.setTimeToLiveStatus("DISABLED");
          } else {
            b.setTimeToLiveStatus("ENABLED").setAttributeName(t.ttlAttribute());
          }
          return b.build();
        });
  }

  @Override
  public void tagResource(TagResourceRequest request,
      StreamObserver<TagResourceResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    Map<String, String> tags = new LinkedHashMap<>();
    request.getTagsList().forEach(t -> tags.put(t.getKey(), t.getValue()));
    UnaryCalls.unary(errors, "TagResource", responses,
        () -> dynamo().tag(account, request.getResourceArn(), tags),
        t -> TagResourceResponse.getDefaultInstance());
  }

  @Override
  public void untagResource(UntagResourceRequest request,
      StreamObserver<UntagResourceResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "UntagResource", responses,
        () -> dynamo().untag(account, request.getResourceArn(), request.getTagKeysList()),
        t -> UntagResourceResponse.getDefaultInstance());
  }

  @Override
  public void listTagsOfResource(ListTagsOfResourceRequest request,
      StreamObserver<ListTagsOfResourceResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "ListTagsOfResource", responses,
        () -> dynamo().describeArn(account, request.getResourceArn()),
        t -> {
          var b = ListTagsOfResourceResponse.newBuilder();
          t.tags().forEach((k, v) -> b.addTags(Tag.newBuilder().setKey(k).setValue(v)));
          return b.build();
        });
  }

  @Override
  public void listTables(fabric.dynamodb.v1.ListTablesRequest request,
      StreamObserver<fabric.dynamodb.v1.ListTablesResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "ListTables", responses,
        () -> dynamo().listTables(account, request.getExclusiveStartTableName(),
            request.getLimit()),
        page -> {
          var b = fabric.dynamodb.v1.ListTablesResponse.newBuilder()
              .addAllTableNames(page.names());
          if (page.lastEvaluatedTableName() != null) {
            b.setLastEvaluatedTableName(page.lastEvaluatedTableName());
          }
          return b.build();
        });
  }


  @Override
  public void updateTable(fabric.dynamodb.v1.UpdateTableRequest request,
      StreamObserver<fabric.dynamodb.v1.UpdateTableResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "UpdateTable", responses, () -> {
      DynamoService dynamo = dynamo(); // the call's region, before the call goes async
      String name = request.getTableName();
      String stream = !request.hasStreamSpecification() ? null
          : request.getStreamSpecification().getStreamEnabled()
              ? request.getStreamSpecification().getStreamViewType() : "";
      boolean tableChange = !request.getBillingMode().isEmpty()
          || request.hasProvisionedThroughput() || stream != null;
      if (request.getReplicaUpdatesCount() > 0) {
        if (request.getGlobalSecondaryIndexUpdatesCount() > 0) {
          throw DynamoErrors.validation("One or more parameter values were invalid: a "
              + "replica update and an index update cannot be in one UpdateTable request");
        }
        return replicaUpdate(account, request).thenCompose(t -> described(dynamo, account, t,
            name));
      }
      if (request.getGlobalSecondaryIndexUpdatesCount() == 0) {
        return dynamo.updateTable(account, name, request.getBillingMode(),
            request.getProvisionedThroughput().getReadCapacityUnits(),
            request.getProvisionedThroughput().getWriteCapacityUnits(), stream)
            .thenCompose(t -> described(dynamo, account, t, name));
      }
      if (request.getGlobalSecondaryIndexUpdatesCount() > 1) {
        throw DynamoErrors.validation("One or more parameter values were invalid: Only 1 "
            + "online index can be created or deleted simultaneously per table");
      }
      var update = request.getGlobalSecondaryIndexUpdates(0);
      var index = dynamo.globalIndexes();
      java.util.concurrent.CompletionStage<TableState> changed;
      switch (update.getActionCase()) {
        case CREATE:
          Map<String, String> definitions = new LinkedHashMap<>();
          request.getAttributeDefinitionsList().forEach(d -> definitions.put(
              d.getAttributeName(), d.getAttributeType()));
          changed = index.create(account, name, DynamoProtoMapping.globalIndex(
              update.getCreate(), definitions), definitions);
          break;
        case DELETE_INDEX_NAME:
          changed = index.delete(account, name, update.getDeleteIndexName());
          break;
        case UPDATE:
          changed = index.update(account, name, update.getUpdate().getIndexName(),
              update.getUpdate().getProvisionedThroughput().getReadCapacityUnits(),
              update.getUpdate().getProvisionedThroughput().getWriteCapacityUnits());
          break;
        default:
          throw DynamoErrors.validation("1 validation error detected: a "
              + "GlobalSecondaryIndexUpdate needs one of Create, Delete or Update");
      }
      return changed.thenCompose(t -> tableChange ? dynamo.updateTable(account, name,
          request.getBillingMode(), request.getProvisionedThroughput().getReadCapacityUnits(),
          request.getProvisionedThroughput().getWriteCapacityUnits(), stream)
          : java.util.concurrent.CompletableFuture.completedFuture(t))
          .thenCompose(t -> described(dynamo, account, t, name).thenApply(d -> d.toBuilder()
              .setTableStatus("UPDATING").build()));
    }, t -> fabric.dynamodb.v1.UpdateTableResponse.newBuilder().setTableDescription(t)
        .build());
  }

  /** UpdateTable's ReplicaUpdates: one Create or Delete, alone (as AWS: a replica change
   *  is not combined with other changes in one request). */
  private java.util.concurrent.CompletionStage<TableState> replicaUpdate(String account,
      fabric.dynamodb.v1.UpdateTableRequest request) {
    if (request.getReplicaUpdatesCount() > 1 || request.hasStreamSpecification()
        || !request.getBillingMode().isEmpty() || request.hasProvisionedThroughput()) {
      throw DynamoErrors.validation("One or more parameter values were invalid: only one "
          + "replica update (Create or Delete) per UpdateTable request, without other "
          + "changes");
    }
    var update = request.getReplicaUpdates(0);
    var globals = dynamo().globals();
    switch (update.getActionCase()) {
      case CREATE:
        return globals.createReplica(account, request.getTableName(),
            update.getCreate().getRegionName());
      case DELETE:
        return globals.deleteReplica(account, request.getTableName(),
            update.getDelete().getRegionName());
      default:
        throw DynamoErrors.validation("1 validation error detected: a replica update needs "
            + "Create or Delete");
    }
  }
}
