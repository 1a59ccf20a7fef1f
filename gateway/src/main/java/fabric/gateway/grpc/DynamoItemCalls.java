package fabric.gateway.grpc;

import fabric.dynamo.model.DynamoErrors;
import fabric.dynamo.model.Item;
import fabric.dynamo.partition.RequestExpressions;
import fabric.dynamo.service.DynamoService;
import fabric.dynamodb.v1.DeleteItemRequest;
import fabric.dynamodb.v1.DeleteItemResponse;
import fabric.dynamodb.v1.DynamoDBGrpc;
import fabric.dynamodb.v1.GetItemRequest;
import fabric.dynamodb.v1.GetItemResponse;
import fabric.dynamodb.v1.PutItemRequest;
import fabric.dynamodb.v1.PutItemResponse;
import io.grpc.stub.StreamObserver;
import java.util.LinkedHashMap;
import java.util.Map;

/** DynamoDB's item operations over gRPC: protobuf to the service's item and query calls. */
abstract class DynamoItemCalls implements DynamoDBGrpc.AsyncService {
  /** The node's region's service; a call's region ({@link CallerRegion}) picks its own. */
  protected final DynamoService regions;
  protected final GrpcErrors errors = new GrpcErrors(GrpcErrors.DYNAMODB_DOMAIN,
      DynamoErrorDetails::details);

  /** ConsumedCapacity when ReturnConsumedCapacity asks for it (TOTAL or INDEXES). */
  static java.util.Optional<fabric.dynamodb.v1.ConsumedCapacity> capacity(String table,
      String returnConsumedCapacity, fabric.dynamo.service.DynamoItems.Result result) {
    if (returnConsumedCapacity.isEmpty() || returnConsumedCapacity.equals("NONE")) {
      return java.util.Optional.empty();
    }
    if (!returnConsumedCapacity.equals("TOTAL") && !returnConsumedCapacity.equals("INDEXES")) {
      throw DynamoErrors.validation("1 validation error detected: Value '"
          + returnConsumedCapacity + "' at 'returnConsumedCapacity' failed to satisfy "
          + "constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]");
    }
    return java.util.Optional.of(fabric.dynamodb.v1.ConsumedCapacity.newBuilder()
        .setTableName(table).setCapacityUnits(result.capacityUnits()).build());
  }

  /** A write's returned attributes (ReturnValues), none when there are none. */
  private static Map<String, fabric.dynamodb.v1.AttributeValue> attributes(
      fabric.dynamo.service.DynamoItems.Result result) {
    return result.item() == null ? Map.of()
        : DynamoProtoMapping.protos(result.item().attributes());
  }

  /** Select: what this fabric answers (all attributes, or the count only). */
  private static void checkSelect(String select) {
    if (!select.isEmpty() && !select.equals("ALL_ATTRIBUTES") && !select.equals("COUNT")
        && !select.equals("ALL_PROJECTED_ATTRIBUTES")) {
      throw DynamoErrors.validation("1 validation error detected: Value '" + select
          + "' at 'select' failed to satisfy constraint: Member must satisfy enum value "
          + "set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]");
    }
  }

  /** A page's items as protobuf; none for Select COUNT. */
  private static java.util.List<fabric.dynamodb.v1.Item> items(
      fabric.dynamo.service.DynamoQueries.Page page, String select) {
    return "COUNT".equals(select) ? java.util.List.of() : page.items().stream()
        .map(item -> fabric.dynamodb.v1.Item.newBuilder()
            .putAllAttributes(DynamoProtoMapping.protos(item.attributes())).build()).toList();
  }

  private static Map<String, fabric.dynamodb.v1.AttributeValue> lastKey(
      fabric.dynamo.service.DynamoQueries.Page page) {
    return page.lastEvaluatedKey() == null ? Map.of()
        : DynamoProtoMapping.protos(page.lastEvaluatedKey());
  }

  DynamoItemCalls(DynamoService dynamo) {
    this.regions = dynamo;
  }

  /** The service of the call's region; call it on the handler's thread (gRPC context). */
  protected DynamoService dynamo() {
    return regions.inRegion(CallerRegion.current());
  }

  private fabric.dynamo.service.DynamoBatches batches() {
    return new fabric.dynamo.service.DynamoBatches(dynamo());
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

  /** ReturnValuesOnConditionCheckFailure: true for ALL_OLD, false for NONE (or unset). */
  static boolean oldOnConditionFailure(String value) {
    if (value.isEmpty() || value.equals("NONE")) {
      return false;
    }
    if (value.equals("ALL_OLD")) {
      return true;
    }
    throw DynamoErrors.validation("1 validation error detected: Value '" + value + "' at "
        + "'returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must "
        + "satisfy enum value set: [ALL_OLD, NONE]");
  }

  @Override
  public void putItem(PutItemRequest request, StreamObserver<PutItemResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "PutItem", responses,
        () -> dynamo().items().putItem(account, request.getTableName(),
            DynamoProtoMapping.item(request.getItemMap()), expressions(
                request.getConditionExpression(), "", "", "", "",
                request.getExpressionAttributeNamesMap(),
                request.getExpressionAttributeValuesMap()),
            returnOld(request.getReturnValues()),
            oldOnConditionFailure(request.getReturnValuesOnConditionCheckFailure())),
        result -> {
          var b = PutItemResponse.newBuilder().putAllAttributes(attributes(result));
          capacity(request.getTableName(), request.getReturnConsumedCapacity(), result)
              .ifPresent(b::setConsumedCapacity);
          return b.build();
        });
  }

  @Override
  public void getItem(GetItemRequest request, StreamObserver<GetItemResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "GetItem", responses, () -> {
      return dynamo().items().getItem(account, request.getTableName(),
          DynamoProtoMapping.values(request.getKeyMap()), expressions("", "",
              request.getProjectionExpression(), "", "",
              request.getExpressionAttributeNamesMap(), Map.of()),
          request.getConsistentRead());
    }, result -> {
      var b = GetItemResponse.newBuilder();
      if (result.item() != null) {
        b.setItem(fabric.dynamodb.v1.Item.newBuilder()
            .putAllAttributes(DynamoProtoMapping.protos(result.item().attributes())));
      }
      capacity(request.getTableName(), request.getReturnConsumedCapacity(), result)
          .ifPresent(b::setConsumedCapacity);
      return b.build();
    });
  }

  @Override
  public void deleteItem(DeleteItemRequest request,
      StreamObserver<DeleteItemResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "DeleteItem", responses, () -> {
      return dynamo().items().deleteItem(account, request.getTableName(),
          DynamoProtoMapping.values(request.getKeyMap()), expressions(
              request.getConditionExpression(), "", "", "", "",
              request.getExpressionAttributeNamesMap(),
              request.getExpressionAttributeValuesMap()),
          returnOld(request.getReturnValues()),
          oldOnConditionFailure(request.getReturnValuesOnConditionCheckFailure()));
    }, result -> {
      var b = DeleteItemResponse.newBuilder().putAllAttributes(attributes(result));
      capacity(request.getTableName(), request.getReturnConsumedCapacity(), result)
          .ifPresent(b::setConsumedCapacity);
      return b.build();
    });
  }

  @Override
  public void updateItem(fabric.dynamodb.v1.UpdateItemRequest request,
      StreamObserver<fabric.dynamodb.v1.UpdateItemResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "UpdateItem", responses,
        () -> dynamo().items().updateItem(account, request.getTableName(),
            DynamoProtoMapping.values(request.getKeyMap()), expressions(
                request.getConditionExpression(), request.getUpdateExpression(), "", "", "",
                request.getExpressionAttributeNamesMap(),
                request.getExpressionAttributeValuesMap()), request.getReturnValues(),
            oldOnConditionFailure(request.getReturnValuesOnConditionCheckFailure())),
        result -> {
          var b = fabric.dynamodb.v1.UpdateItemResponse.newBuilder()
              .putAllAttributes(attributes(result));
          capacity(request.getTableName(), request.getReturnConsumedCapacity(), result)
              .ifPresent(b::setConsumedCapacity);
          return b.build();
        });
  }

  @Override
  public void query(fabric.dynamodb.v1.QueryRequest request,
      StreamObserver<fabric.dynamodb.v1.QueryResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "Query", responses, () -> {
      checkSelect(request.getSelect());
      return dynamo().queries().query(account, request.getTableName(),
          request.getIndexName().isEmpty() ? null : request.getIndexName(), expressions("", "",
              request.getProjectionExpression(), request.getFilterExpression(),
              request.getKeyConditionExpression(), request.getExpressionAttributeNamesMap(),
              request.getExpressionAttributeValuesMap()),
          !request.hasScanIndexForward() || request.getScanIndexForward(),
          request.getLimit() == 0 ? null : request.getLimit(),
          DynamoProtoMapping.values(request.getExclusiveStartKeyMap()),
          request.getConsistentRead(), request.getSelect());
    }, page -> fabric.dynamodb.v1.QueryResponse.newBuilder().setCount(page.items().size())
        .setScannedCount(page.scannedCount()).addAllItems(items(page, request.getSelect()))
        .putAllLastEvaluatedKey(lastKey(page)).build());
  }

  @Override
  public void scan(fabric.dynamodb.v1.ScanRequest request,
      StreamObserver<fabric.dynamodb.v1.ScanResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "Scan", responses, () -> {
      checkSelect(request.getSelect());
      return dynamo().queries().scan(account, request.getTableName(),
          request.getIndexName().isEmpty() ? null : request.getIndexName(),
          expressions("", "", request.getProjectionExpression(),
              request.getFilterExpression(), "", request.getExpressionAttributeNamesMap(),
              request.getExpressionAttributeValuesMap()),
          request.getLimit() == 0 ? null : request.getLimit(),
          DynamoProtoMapping.values(request.getExclusiveStartKeyMap()),
          request.hasSegment() ? request.getSegment() : null,
          request.hasTotalSegments() ? request.getTotalSegments() : null,
          request.getConsistentRead(), request.getSelect());
    }, page -> fabric.dynamodb.v1.ScanResponse.newBuilder().setCount(page.items().size())
        .setScannedCount(page.scannedCount()).addAllItems(items(page, request.getSelect()))
        .putAllLastEvaluatedKey(lastKey(page)).build());
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
      return batches().batchWrite(account, writes);
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
      return batches().batchGet(account, gets);
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
  public void transactWriteItems(fabric.dynamodb.v1.TransactWriteItemsRequest request,
      StreamObserver<fabric.dynamodb.v1.TransactWriteItemsResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "TransactWriteItems", responses, () -> {
      java.util.List<fabric.dynamo.service.DynamoTransactions.Write> writes =
          new java.util.ArrayList<>();
      for (var t : request.getTransactItemsList()) {
        switch (t.getActionCase()) {
          case PUT -> writes.add(new fabric.dynamo.service.DynamoTransactions.Write(
              t.getPut().getTableName(), "Put", DynamoProtoMapping.item(t.getPut().getItemMap()),
              null, expressions(t.getPut().getConditionExpression(), "", "", "", "",
                  t.getPut().getExpressionAttributeNamesMap(),
                  t.getPut().getExpressionAttributeValuesMap()),
              oldOnConditionFailure(t.getPut().getReturnValuesOnConditionCheckFailure())));
          case UPDATE -> writes.add(new fabric.dynamo.service.DynamoTransactions.Write(
              t.getUpdate().getTableName(), "Update", null,
              DynamoProtoMapping.values(t.getUpdate().getKeyMap()), expressions(
                  t.getUpdate().getConditionExpression(), t.getUpdate().getUpdateExpression(),
                  "", "", "", t.getUpdate().getExpressionAttributeNamesMap(),
                  t.getUpdate().getExpressionAttributeValuesMap()),
              oldOnConditionFailure(t.getUpdate().getReturnValuesOnConditionCheckFailure())));
          case DELETE -> writes.add(new fabric.dynamo.service.DynamoTransactions.Write(
              t.getDelete().getTableName(), "Delete", null,
              DynamoProtoMapping.values(t.getDelete().getKeyMap()), expressions(
                  t.getDelete().getConditionExpression(), "", "", "", "",
                  t.getDelete().getExpressionAttributeNamesMap(),
                  t.getDelete().getExpressionAttributeValuesMap()),
              oldOnConditionFailure(t.getDelete().getReturnValuesOnConditionCheckFailure())));
          case CONDITION_CHECK -> writes.add(new fabric.dynamo.service.DynamoTransactions.Write(
              t.getConditionCheck().getTableName(), "ConditionCheck", null,
              DynamoProtoMapping.values(t.getConditionCheck().getKeyMap()), expressions(
                  t.getConditionCheck().getConditionExpression(), "", "", "", "",
                  t.getConditionCheck().getExpressionAttributeNamesMap(),
                  t.getConditionCheck().getExpressionAttributeValuesMap()),
              oldOnConditionFailure(
                  t.getConditionCheck().getReturnValuesOnConditionCheckFailure())));
          default -> throw DynamoErrors.validation("TransactItems can only contain one of "
              + "Check, Put, Update or Delete");
        }
      }
      return dynamo().transactions().transactWrite(account, writes,
          request.getClientRequestToken());
    }, done -> fabric.dynamodb.v1.TransactWriteItemsResponse.getDefaultInstance());
  }

  @Override
  public void transactGetItems(fabric.dynamodb.v1.TransactGetItemsRequest request,
      StreamObserver<fabric.dynamodb.v1.TransactGetItemsResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    UnaryCalls.unary(errors, "TransactGetItems", responses, () -> {
      java.util.List<fabric.dynamo.service.DynamoTransactions.Get> gets =
          new java.util.ArrayList<>();
      for (var t : request.getTransactItemsList()) {
        gets.add(new fabric.dynamo.service.DynamoTransactions.Get(t.getGet().getTableName(),
            DynamoProtoMapping.values(t.getGet().getKeyMap()), expressions("", "",
                t.getGet().getProjectionExpression(), "", "",
                t.getGet().getExpressionAttributeNamesMap(), Map.of())));
      }
      return dynamo().transactions().transactGet(account, gets);
    }, items -> {
      var b = fabric.dynamodb.v1.TransactGetItemsResponse.newBuilder();
      for (Item item : items) {
        var r = fabric.dynamodb.v1.ItemResponse.newBuilder();
        if (item != null) {
          r.setItem(fabric.dynamodb.v1.Item.newBuilder()
              .putAllAttributes(DynamoProtoMapping.protos(item.attributes())));
        }
        b.addResponses(r);
      }
      return b.build();
    });
  }
}
