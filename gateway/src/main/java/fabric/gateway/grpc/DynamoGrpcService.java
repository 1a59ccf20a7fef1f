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
 * The DynamoDB gRPC service: protobuf to {@link DynamoService} calls and back. Operations
 * not built yet (transactions, UpdateTable, streams) answer UNIMPLEMENTED.
 */
public final class DynamoGrpcService implements DynamoDBGrpc.AsyncService, BindableService {
  private final DynamoService dynamo;
  private final fabric.dynamo.service.DynamoBatches batches;
  private final GrpcErrors errors = new GrpcErrors(GrpcErrors.DYNAMODB_DOMAIN);

  public DynamoGrpcService(DynamoService dynamo) {
    this.dynamo = dynamo;
    this.batches = new fabric.dynamo.service.DynamoBatches(dynamo);
  }

  @Override
  public ServerServiceDefinition bindService() {
    return ServerInterceptors.intercept(DynamoDBGrpc.bindService(this),
        new AccountInterceptor(errors));
  }

  private static String text(String s) {
    return s.isEmpty() ? null : s;
  }

  private static RequestExpressions expressions(String condition, String update,
      String projection, String filter, String keyCondition, Map<String, String> names,
      Map<String, fabric.dynamodb.v1.AttributeValue> values) {
    return new RequestExpressions(text(condition), text(update), text(projection),
        text(filter), text(keyCondition), names.isEmpty() ? null : names,
        values.isEmpty() ? null : DynamoProtoMapping.values(values));
  }

  private static boolean returnOld(String returnValues) {
    if (returnValues.isEmpty() || returnValues.equals("NONE")) {
      return false;
    }
    if (returnValues.equals("ALL_OLD")) {
      return true;
    }
    throw DynamoErrors.validation("ReturnValues can only be ALL_OLD or NONE");
  }

  private TableDescriptionFactory describe(String account) {
    return (state, name) -> DynamoProtoMapping.description(state, name,
        dynamo.table(account, name).arn());
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
      TableId id = dynamo.table(account, request.getTableName());
      Map<String, String> tags = new LinkedHashMap<>();
      request.getTagsList().forEach(t -> tags.put(t.getKey(), t.getValue()));
      return dynamo.createTable(account, id.name(), DynamoProtoMapping.spec(request), tags);
    }, t -> CreateTableResponse.newBuilder().setTableDescription(
        describe.of(t, request.getTableName())).build());
  }

  @Override
  public void describeTable(DescribeTableRequest request,
      StreamObserver<DescribeTableResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    var describe = describe(account);
    UnaryCalls.unary(errors, "DescribeTable", responses,
        () -> dynamo.describeTable(account, request.getTableName()),
        t -> DescribeTableResponse.newBuilder().setTable(describe.of(t,
            request.getTableName())).build());
  }

  @Override
  public void deleteTable(DeleteTableRequest request,
      StreamObserver<DeleteTableResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    var describe = describe(account);
    UnaryCalls.unary(errors, "DeleteTable", responses,
        () -> dynamo.deleteTable(account, request.getTableName()),
        t -> DeleteTableResponse.newBuilder().setTableDescription(describe.of(t,
            request.getTableName())).build());
  }

  @Override
  public void updateTimeToLive(UpdateTimeToLiveRequest request,
      StreamObserver<UpdateTimeToLiveResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    TimeToLiveSpecification spec = request.getTimeToLiveSpecification();
    UnaryCalls.unary(errors, "UpdateTimeToLive", responses,
        () -> dynamo.updateTimeToLive(account, request.getTableName(), spec.getEnabled(),
            spec.getAttributeName()),
        t -> UpdateTimeToLiveResponse.newBuilder().setTimeToLiveSpecification(spec).build());
  }

  @Override
  public void describeTimeToLive(DescribeTimeToLiveRequest request,
      StreamObserver<DescribeTimeToLiveResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "DescribeTimeToLive", responses,
        () -> dynamo.describeTable(account, request.getTableName()),
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
        () -> dynamo.tag(account, request.getResourceArn(), tags),
        t -> TagResourceResponse.getDefaultInstance());
  }

  @Override
  public void untagResource(UntagResourceRequest request,
      StreamObserver<UntagResourceResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "UntagResource", responses,
        () -> dynamo.untag(account, request.getResourceArn(), request.getTagKeysList()),
        t -> UntagResourceResponse.getDefaultInstance());
  }

  @Override
  public void listTagsOfResource(ListTagsOfResourceRequest request,
      StreamObserver<ListTagsOfResourceResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "ListTagsOfResource", responses,
        () -> dynamo.describeArn(account, request.getResourceArn()),
        t -> {
          var b = ListTagsOfResourceResponse.newBuilder();
          t.tags().forEach((k, v) -> b.addTags(Tag.newBuilder().setKey(k).setValue(v)));
          return b.build();
        });
  }

  @Override
  public void putItem(PutItemRequest request, StreamObserver<PutItemResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "PutItem", responses, () -> {
      return dynamo.items().putItem(account, request.getTableName(),
          DynamoProtoMapping.item(request.getItemMap()), expressions(
              request.getConditionExpression(), "", "", "", "",
              request.getExpressionAttributeNamesMap(),
              request.getExpressionAttributeValuesMap()),
          returnOld(request.getReturnValues()));
    }, old -> {
      var b = PutItemResponse.newBuilder();
      if (old != null) {
        b.putAllAttributes(DynamoProtoMapping.protos(old.attributes()));
      }
      return b.build();
    });
  }

  @Override
  public void getItem(GetItemRequest request, StreamObserver<GetItemResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "GetItem", responses, () -> {
      return dynamo.items().getItem(account, request.getTableName(),
          DynamoProtoMapping.values(request.getKeyMap()), expressions("", "",
              request.getProjectionExpression(), "", "",
              request.getExpressionAttributeNamesMap(), Map.of()),
          request.getConsistentRead());
    }, (Item item) -> {
      var b = GetItemResponse.newBuilder();
      if (item != null) {
        b.setItem(fabric.dynamodb.v1.Item.newBuilder()
            .putAllAttributes(DynamoProtoMapping.protos(item.attributes())));
      }
      return b.build();
    });
  }

  @Override
  public void deleteItem(DeleteItemRequest request,
      StreamObserver<DeleteItemResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "DeleteItem", responses, () -> {
      return dynamo.items().deleteItem(account, request.getTableName(),
          DynamoProtoMapping.values(request.getKeyMap()), expressions(
              request.getConditionExpression(), "", "", "", "",
              request.getExpressionAttributeNamesMap(),
              request.getExpressionAttributeValuesMap()),
          returnOld(request.getReturnValues()));
    }, old -> {
      var b = DeleteItemResponse.newBuilder();
      if (old != null) {
        b.putAllAttributes(DynamoProtoMapping.protos(old.attributes()));
      }
      return b.build();
    });
  }

  @Override
  public void scan(fabric.dynamodb.v1.ScanRequest request,
      StreamObserver<fabric.dynamodb.v1.ScanResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "Scan", responses, () -> {
      if (!request.getIndexName().isEmpty()) {
        throw DynamoErrors.validation("Indexes are not supported by this fabric yet: "
            + request.getIndexName());
      }
      String select = request.getSelect();
      if (!select.isEmpty() && !select.equals("ALL_ATTRIBUTES") && !select.equals("COUNT")) {
        throw DynamoErrors.validation("1 validation error detected: Value '" + select
            + "' at 'select' failed to satisfy constraint: Member must satisfy enum value "
            + "set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]");
      }
      return dynamo.queries().scan(account, request.getTableName(),
          expressions("", "", request.getProjectionExpression(),
              request.getFilterExpression(), "", request.getExpressionAttributeNamesMap(),
              request.getExpressionAttributeValuesMap()),
          request.getLimit() == 0 ? null : request.getLimit(),
          DynamoProtoMapping.values(request.getExclusiveStartKeyMap()),
          request.hasSegment() ? request.getSegment() : null,
          request.hasTotalSegments() ? request.getTotalSegments() : null,
          request.getConsistentRead());
    }, page -> {
      var b = fabric.dynamodb.v1.ScanResponse.newBuilder().setCount(page.items().size())
          .setScannedCount(page.scannedCount());
      if (!"COUNT".equals(request.getSelect())) {
        page.items().forEach(item -> b.addItems(fabric.dynamodb.v1.Item.newBuilder()
            .putAllAttributes(DynamoProtoMapping.protos(item.attributes()))));
      }
      if (page.lastEvaluatedKey() != null) {
        b.putAllLastEvaluatedKey(DynamoProtoMapping.protos(page.lastEvaluatedKey()));
      }
      return b.build();
    });
  }

  @Override
  public void batchWriteItem(fabric.dynamodb.v1.BatchWriteItemRequest request,
      StreamObserver<fabric.dynamodb.v1.BatchWriteItemResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "BatchWriteItem", responses, () -> {
      java.util.List<fabric.dynamo.service.DynamoBatches.Write> writes =
          new java.util.ArrayList<>();
      request.getRequestItemsMap().forEach((table, list) -> {
        for (var w : list.getRequestsList()) {
          switch (w.getRequestCase()) {
            case PUT_REQUEST_ITEM -> writes.add(new fabric.dynamo.service.DynamoBatches.Write(
                table, DynamoProtoMapping.item(w.getPutRequestItem().getAttributesMap()),
                null));
            case DELETE_REQUEST_KEY -> writes.add(new fabric.dynamo.service.DynamoBatches
                .Write(table, null, DynamoProtoMapping.values(w.getDeleteRequestKey()
                .getAttributesMap())));
            default -> throw DynamoErrors.validation("Supplied AttributeValue has more than "
                + "one datatypes set, must contain exactly one of the supported datatypes");
          }
        }
      });
      return batches.batchWrite(account, writes);
    }, unprocessed -> {
      var b = fabric.dynamodb.v1.BatchWriteItemResponse.newBuilder();
      Map<String, fabric.dynamodb.v1.WriteRequestList.Builder> byTable = new LinkedHashMap<>();
      for (var w : unprocessed) {
        var item = fabric.dynamodb.v1.Item.newBuilder().putAllAttributes(
            DynamoProtoMapping.protos(w.item() != null ? w.item().attributes() : w.key()));
        var again = w.item() != null
            ? fabric.dynamodb.v1.WriteRequest.newBuilder().setPutRequestItem(item)
            : fabric.dynamodb.v1.WriteRequest.newBuilder().setDeleteRequestKey(item);
        byTable.computeIfAbsent(w.table(), t -> fabric.dynamodb.v1.WriteRequestList
            .newBuilder()).addRequests(again);
      }
      byTable.forEach((t, list) -> b.putUnprocessedItems(t, list.build()));
      return b.build();
    });
  }

  @Override
  public void batchGetItem(fabric.dynamodb.v1.BatchGetItemRequest request,
      StreamObserver<fabric.dynamodb.v1.BatchGetItemResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "BatchGetItem", responses, () -> {
      java.util.List<fabric.dynamo.service.DynamoBatches.Get> gets = new java.util.ArrayList<>();
      request.getRequestItemsMap().forEach((table, keys) -> {
        RequestExpressions projection = expressions("", "", keys.getProjectionExpression(),
            "", "", keys.getExpressionAttributeNamesMap(), Map.of());
        for (var key : keys.getKeysList()) {
          gets.add(new fabric.dynamo.service.DynamoBatches.Get(table,
              DynamoProtoMapping.values(key.getAttributesMap()), projection,
              keys.getConsistentRead()));
        }
      });
      return batches.batchGet(account, gets);
    }, got -> {
      var b = fabric.dynamodb.v1.BatchGetItemResponse.newBuilder();
      got.items().forEach((table, items) -> {
        var list = fabric.dynamodb.v1.ItemList.newBuilder();
        items.forEach(item -> list.addItems(fabric.dynamodb.v1.Item.newBuilder()
            .putAllAttributes(DynamoProtoMapping.protos(item.attributes()))));
        b.putResponses(table, list.build());
      });
      Map<String, fabric.dynamodb.v1.KeysAndAttributes.Builder> again = new LinkedHashMap<>();
      for (var g : got.unprocessed()) {
        again.computeIfAbsent(g.table(), t -> fabric.dynamodb.v1.KeysAndAttributes.newBuilder()
            .setConsistentRead(g.consistentRead())).addKeys(fabric.dynamodb.v1.Item
            .newBuilder().putAllAttributes(DynamoProtoMapping.protos(g.key())));
      }
      again.forEach((t, k) -> b.putUnprocessedKeys(t, k.build()));
      return b.build();
    });
  }

  @Override
  public void listTables(fabric.dynamodb.v1.ListTablesRequest request,
      StreamObserver<fabric.dynamodb.v1.ListTablesResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "ListTables", responses,
        () -> dynamo.listTables(account, request.getExclusiveStartTableName(),
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
  public void updateItem(fabric.dynamodb.v1.UpdateItemRequest request,
      StreamObserver<fabric.dynamodb.v1.UpdateItemResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "UpdateItem", responses,
        () -> dynamo.items().updateItem(account, request.getTableName(),
            DynamoProtoMapping.values(request.getKeyMap()), expressions(
                request.getConditionExpression(), request.getUpdateExpression(), "", "", "",
                request.getExpressionAttributeNamesMap(),
                request.getExpressionAttributeValuesMap()), request.getReturnValues()),
        item -> {
          var b = fabric.dynamodb.v1.UpdateItemResponse.newBuilder();
          if (item != null) {
            b.putAllAttributes(DynamoProtoMapping.protos(item.attributes()));
          }
          return b.build();
        });
  }

  @Override
  public void query(fabric.dynamodb.v1.QueryRequest request,
      StreamObserver<fabric.dynamodb.v1.QueryResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "Query", responses, () -> {
      if (!request.getIndexName().isEmpty()) {
        throw DynamoErrors.validation("Indexes are not supported by this fabric yet: "
            + request.getIndexName());
      }
      return dynamo.queries().query(account, request.getTableName(), expressions("", "",
              request.getProjectionExpression(), request.getFilterExpression(),
              request.getKeyConditionExpression(), request.getExpressionAttributeNamesMap(),
              request.getExpressionAttributeValuesMap()),
          !request.hasScanIndexForward() || request.getScanIndexForward(),
          request.getLimit() == 0 ? null : request.getLimit(),
          DynamoProtoMapping.values(request.getExclusiveStartKeyMap()),
          request.getConsistentRead());
    }, page -> {
      var b = fabric.dynamodb.v1.QueryResponse.newBuilder().setCount(page.items().size())
          .setScannedCount(page.scannedCount());
      if (!"COUNT".equals(request.getSelect())) {
        page.items().forEach(item -> b.addItems(fabric.dynamodb.v1.Item.newBuilder()
            .putAllAttributes(DynamoProtoMapping.protos(item.attributes()))));
      }
      if (page.lastEvaluatedKey() != null) {
        b.putAllLastEvaluatedKey(DynamoProtoMapping.protos(page.lastEvaluatedKey()));
      }
      return b.build();
    });
  }
}
