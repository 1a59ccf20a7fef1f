package fabric.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Any;
import fabric.dynamodb.v1.AttributeDefinition;
import fabric.dynamodb.v1.AttributeValue;
import fabric.dynamodb.v1.CancellationReason;
import fabric.dynamodb.v1.ConditionCheck;
import fabric.dynamodb.v1.ConditionalCheckFailedDetails;
import fabric.dynamodb.v1.CreateTableRequest;
import fabric.dynamodb.v1.DeleteItemRequest;
import fabric.dynamodb.v1.KeySchemaElement;
import fabric.dynamodb.v1.Put;
import fabric.dynamodb.v1.PutItemRequest;
import fabric.dynamodb.v1.TransactWriteItem;
import fabric.dynamodb.v1.TransactWriteItemsRequest;
import fabric.dynamodb.v1.TransactionCanceledDetails;
import fabric.dynamodb.v1.UpdateItemRequest;
import fabric.gateway.grpc.GrpcErrors;
import fabric.node.testing.DynamoTestClient;
import fabric.node.testing.TestCluster;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ReturnValuesOnConditionCheckFailure=ALL_OLD: the ConditionalCheckFailedException of a
 * PutItem, UpdateItem or DeleteItem carries the item as it was (a ConditionalCheckFailedDetails
 * in the gRPC status details), a TransactionCanceledException its reasons, each failed
 * condition's with its item; without ALL_OLD no item travels.
 */
class DynamoConditionFailureTest {
  private static final String ACCOUNT = "468046804680";

  @TempDir
  Path dataDir;

  private static AttributeValue s(String v) {
    return AttributeValue.newBuilder().setS(v).build();
  }

  private static AttributeValue n(String v) {
    return AttributeValue.newBuilder().setN(v).build();
  }

  private static StatusRuntimeException failure(Runnable call, String code) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
    assertThat(e).as("the call failed").isNotNull();
    assertThat(GrpcErrors.awsCode(e)).contains(code);
    return e;
  }

  private static <T extends com.google.protobuf.Message> Optional<T> detail(
      StatusRuntimeException e, Class<T> type) throws Exception {
    for (Any any : StatusProto.fromThrowable(e).getDetailsList()) {
      if (any.is(type)) {
        return Optional.of(any.unpack(type));
      }
    }
    return Optional.empty();
  }

  @Test
  void aFailedConditionCarriesTheItemWhenAskedFor() throws Exception {
    try (TestCluster cluster = TestCluster.start(dataDir);
        var a = new DynamoTestClient("127.0.0.1", cluster.node(0).grpcPort(), ACCOUNT);
        var b = new DynamoTestClient("127.0.0.1", cluster.node(1).grpcPort(), ACCOUNT)) {
      a.blocking().createTable(CreateTableRequest.newBuilder().setTableName("accounts")
          .setBillingMode("PAY_PER_REQUEST")
          .addAttributeDefinitions(AttributeDefinition.newBuilder().setAttributeName("id")
              .setAttributeType("S"))
          .addKeySchema(KeySchemaElement.newBuilder().setAttributeName("id")
              .setKeyType("HASH")).build());
      Map<String, AttributeValue> alice = Map.of("id", s("alice"), "balance", n("10"));
      a.blocking().putItem(PutItemRequest.newBuilder().setTableName("accounts")
          .putAllItem(alice).build());

      PutItemRequest.Builder create = PutItemRequest.newBuilder().setTableName("accounts")
          .putItem("id", s("alice")).putItem("balance", n("0"))
          .setConditionExpression("attribute_not_exists(id)");
      StatusRuntimeException put = failure(() -> b.blocking().putItem(create
          .setReturnValuesOnConditionCheckFailure("ALL_OLD").build()),
          "ConditionalCheckFailedException");
      assertThat(detail(put, ConditionalCheckFailedDetails.class)).get()
          .extracting(d -> d.getItem().getAttributesMap()).isEqualTo(alice);
      StatusRuntimeException plain = failure(() -> b.blocking().putItem(create
          .setReturnValuesOnConditionCheckFailure("NONE").build()),
          "ConditionalCheckFailedException");
      assertThat(detail(plain, ConditionalCheckFailedDetails.class)).isEmpty();

      StatusRuntimeException update = failure(() -> b.blocking().updateItem(
          UpdateItemRequest.newBuilder().setTableName("accounts").putKey("id", s("alice"))
              .setUpdateExpression("SET balance = balance - :x")
              .setConditionExpression("balance >= :x")
              .putExpressionAttributeValues(":x", n("50"))
              .setReturnValuesOnConditionCheckFailure("ALL_OLD").build()),
          "ConditionalCheckFailedException");
      assertThat(detail(update, ConditionalCheckFailedDetails.class)).get()
          .extracting(d -> d.getItem().getAttributesMap()).isEqualTo(alice);

      // No item to return: the error comes without one, as AWS's.
      StatusRuntimeException delete = failure(() -> a.blocking().deleteItem(
          DeleteItemRequest.newBuilder().setTableName("accounts").putKey("id", s("bob"))
              .setConditionExpression("attribute_exists(id)")
              .setReturnValuesOnConditionCheckFailure("ALL_OLD").build()),
          "ConditionalCheckFailedException");
      assertThat(detail(delete, ConditionalCheckFailedDetails.class)).isEmpty();
      StatusRuntimeException deleteAlice = failure(() -> a.blocking().deleteItem(
          DeleteItemRequest.newBuilder().setTableName("accounts").putKey("id", s("alice"))
              .setConditionExpression("balance > :x")
              .putExpressionAttributeValues(":x", n("10"))
              .setReturnValuesOnConditionCheckFailure("ALL_OLD").build()),
          "ConditionalCheckFailedException");
      assertThat(detail(deleteAlice, ConditionalCheckFailedDetails.class)).get()
          .extracting(d -> d.getItem().getAttributesMap()).isEqualTo(alice);

      failure(() -> a.blocking().putItem(create.setReturnValuesOnConditionCheckFailure(
          "ALL_NEW").build()), "ValidationException");

      StatusRuntimeException cancelled = failure(() -> b.blocking().transactWriteItems(
          TransactWriteItemsRequest.newBuilder()
              .addTransactItems(TransactWriteItem.newBuilder().setPut(Put.newBuilder()
                  .setTableName("accounts").putItem("id", s("carol"))
                  .putItem("balance", n("5"))))
              .addTransactItems(TransactWriteItem.newBuilder().setConditionCheck(
                  ConditionCheck.newBuilder().setTableName("accounts")
                      .putKey("id", s("alice")).setConditionExpression("balance > :x")
                      .putExpressionAttributeValues(":x", n("100"))
                      .setReturnValuesOnConditionCheckFailure("ALL_OLD")))
              .build()), "TransactionCanceledException");
      List<CancellationReason> reasons = detail(cancelled, TransactionCanceledDetails.class)
          .orElseThrow().getCancellationReasonsList();
      assertThat(reasons).extracting(CancellationReason::getCode)
          .containsExactly("None", "ConditionalCheckFailed");
      assertThat(reasons.get(0).hasItem()).isFalse();
      assertThat(reasons.get(1).getItem().getAttributesMap()).isEqualTo(alice);
    }
  }
}
