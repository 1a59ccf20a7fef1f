package fabric.gateway.grpc;

import com.google.protobuf.Any;
import fabric.core.error.ServiceException;
import fabric.dynamo.model.ErrorItems;
import fabric.dynamo.model.Item;
import fabric.dynamodb.v1.CancellationReason;
import fabric.dynamodb.v1.ConditionalCheckFailedDetails;
import fabric.dynamodb.v1.TransactionCanceledDetails;
import java.util.List;

/**
 * The items a DynamoDB error carries ({@link ErrorItems}) as gRPC status details, so a client
 * reads them as proto messages: ConditionalCheckFailedDetails (ReturnValuesOnConditionCheck
 * Failure ALL_OLD), TransactionCanceledDetails (AWS's CancellationReasons).
 */
final class DynamoErrorDetails {
  static final GrpcErrors ERRORS = new GrpcErrors(GrpcErrors.DYNAMODB_DOMAIN,
      DynamoErrorDetails::details);

  private DynamoErrorDetails() {}

  static List<Any> details(ServiceException e) {
    return ErrorItems.of(e).map(items -> {
      if (items.item() != null) {
        return List.of(Any.pack(ConditionalCheckFailedDetails.newBuilder()
            .setItem(proto(items.item())).build()));
      }
      var details = TransactionCanceledDetails.newBuilder();
      for (ErrorItems.Reason r : items.reasons()) {
        var reason = CancellationReason.newBuilder().setCode(r.code());
        if (r.message() != null) {
          reason.setMessage(r.message());
        }
        if (r.item() != null) {
          reason.setItem(proto(r.item()));
        }
        details.addCancellationReasons(reason);
      }
      return List.of(Any.pack(details.build()));
    }).orElse(List.of());
  }

  private static fabric.dynamodb.v1.Item proto(Item item) {
    return fabric.dynamodb.v1.Item.newBuilder()
        .putAllAttributes(DynamoProtoMapping.protos(item.attributes())).build();
  }
}
