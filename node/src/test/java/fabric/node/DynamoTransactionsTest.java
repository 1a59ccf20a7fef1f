package fabric.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fabric.dynamodb.v1.AttributeDefinition;
import fabric.dynamodb.v1.AttributeValue;
import fabric.dynamodb.v1.ConditionCheck;
import fabric.dynamodb.v1.CreateTableRequest;
import fabric.dynamodb.v1.Get;
import fabric.dynamodb.v1.GetItemRequest;
import fabric.dynamodb.v1.KeySchemaElement;
import fabric.dynamodb.v1.Put;
import fabric.dynamodb.v1.PutItemRequest;
import fabric.dynamodb.v1.TransactGetItem;
import fabric.dynamodb.v1.TransactGetItemsRequest;
import fabric.dynamodb.v1.TransactWriteItem;
import fabric.dynamodb.v1.TransactWriteItemsRequest;
import fabric.dynamodb.v1.Update;
import fabric.node.testing.DynamoTestClient;
import fabric.node.testing.SqsTestClient;
import fabric.node.testing.TestCluster;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TransactWriteItems and TransactGetItems on a real cluster: all or nothing across tables
 * and partitions, cancellation reasons, ClientRequestToken idempotency, and a crash of the
 * node that drives transactions under load (us-east-1a's) that never lets a reader see half
 * of a transfer: the sum over all accounts, read atomically, stays what it was.
 */
class DynamoTransactionsTest {
  private static final String ACCOUNT = "246824682468";
  private static final int ACCOUNTS = 4;
  private static final int START_BALANCE = 100;

  @TempDir
  Path dataDir;

  private static AttributeValue s(String v) {
    return AttributeValue.newBuilder().setS(v).build();
  }

  private static AttributeValue n(long v) {
    return AttributeValue.newBuilder().setN(Long.toString(v)).build();
  }

  private static void table(DynamoTestClient c, String name) {
    c.blocking().createTable(CreateTableRequest.newBuilder().setTableName(name)
        .setBillingMode("PAY_PER_REQUEST")
        .addAttributeDefinitions(AttributeDefinition.newBuilder().setAttributeName("id")
            .setAttributeType("S"))
        .addKeySchema(KeySchemaElement.newBuilder().setAttributeName("id")
            .setKeyType("HASH")).build());
  }

  private static TransactWriteItemsRequest transfer(String from, String to, long amount,
      String token) {
    var debit = Update.newBuilder().setTableName("balances").putKey("id", s(from))
        .setUpdateExpression("ADD balance :minus").setConditionExpression("balance >= :amount")
        .putExpressionAttributeValues(":minus", n(-amount))
        .putExpressionAttributeValues(":amount", n(amount));
    var credit = Update.newBuilder().setTableName("balances").putKey("id", s(to))
        .setUpdateExpression("ADD balance :plus")
        .putExpressionAttributeValues(":plus", n(amount));
    var b = TransactWriteItemsRequest.newBuilder()
        .addTransactItems(TransactWriteItem.newBuilder().setUpdate(debit))
        .addTransactItems(TransactWriteItem.newBuilder().setUpdate(credit));
    if (token != null) {
      b.setClientRequestToken(token);
    }
    return b.build();
  }

  private static long sumAtomically(DynamoTestClient c) {
    var request = TransactGetItemsRequest.newBuilder();
    for (int i = 0; i < ACCOUNTS; i++) {
      request.addTransactItems(TransactGetItem.newBuilder().setGet(Get.newBuilder()
          .setTableName("balances").putKey("id", s("acct-" + i))));
    }
    long sum = 0;
    for (var r : c.blocking().transactGetItems(request.build()).getResponsesList()) {
      sum += Long.parseLong(r.getItem().getAttributesMap().get("balance").getN());
    }
    return sum;
  }

  @Test
  void allOrNothingWithReasonsAndTokens() throws Exception {
    try (TestCluster cluster = TestCluster.start(dataDir);
        var a = new DynamoTestClient("127.0.0.1", cluster.node(0).grpcPort(), ACCOUNT);
        var b = new DynamoTestClient("127.0.0.1", cluster.node(1).grpcPort(), ACCOUNT)) {
      table(a, "balances");
      table(a, "audit");
      for (String id : new String[] {"alice", "bob"}) {
        a.blocking().putItem(PutItemRequest.newBuilder().setTableName("balances")
            .putItem("id", s(id)).putItem("balance", n(10)).build());
      }
      // Across two tables: a transfer and its audit record, together.
      a.blocking().transactWriteItems(transfer("alice", "bob", 7, "t-1").toBuilder()
          .addTransactItems(TransactWriteItem.newBuilder().setPut(Put.newBuilder()
              .setTableName("audit").putItem("id", s("t-1")).putItem("amount", n(7)))).build());
      assertThat(b.blocking().getItem(GetItemRequest.newBuilder().setTableName("balances")
          .putKey("id", s("bob")).setConsistentRead(true).build()).getItem()
          .getAttributesMap().get("balance")).isEqualTo(n(17));
      // The same token again: the same outcome, not a second transfer.
      a.blocking().transactWriteItems(transfer("alice", "bob", 7, "t-1").toBuilder()
          .addTransactItems(TransactWriteItem.newBuilder().setPut(Put.newBuilder()
              .setTableName("audit").putItem("id", s("t-1")).putItem("amount", n(7)))).build());
      assertThat(b.blocking().getItem(GetItemRequest.newBuilder().setTableName("balances")
          .putKey("id", s("alice")).setConsistentRead(true).build()).getItem()
          .getAttributesMap().get("balance")).isEqualTo(n(3));
      assertThatThrownBy(() -> a.blocking().transactWriteItems(transfer("alice", "bob", 1,
          "t-1"))).isInstanceOfSatisfying(StatusRuntimeException.class, e ->
          assertThat(SqsTestClient.awsCode(e)).isEqualTo("IdempotentParameterMismatchException"));
      // Alice has 3: the debit's condition fails, so the credit does not happen either.
      assertThatThrownBy(() -> b.blocking().transactWriteItems(transfer("alice", "bob", 5,
          null))).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(SqsTestClient.awsCode(e)).isEqualTo("TransactionCanceledException");
            assertThat(e.getStatus().getDescription())
                .contains("[ConditionalCheckFailed, None]");
          });
      assertThat(b.blocking().getItem(GetItemRequest.newBuilder().setTableName("balances")
          .putKey("id", s("bob")).setConsistentRead(true).build()).getItem()
          .getAttributesMap().get("balance")).isEqualTo(n(17));
      assertThatThrownBy(() -> a.blocking().transactWriteItems(TransactWriteItemsRequest
          .newBuilder().addTransactItems(TransactWriteItem.newBuilder().setConditionCheck(
              ConditionCheck.newBuilder().setTableName("balances").putKey("id", s("bob"))
                  .setConditionExpression("attribute_exists(id)")))
          .addTransactItems(TransactWriteItem.newBuilder().setPut(Put.newBuilder()
              .setTableName("balances").putItem("id", s("bob")))).build()))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(
              e.getStatus().getDescription()).contains("multiple operations on one item"));
    }
  }

  @Test
  void aCrashOfTheDrivingNodeNeverExposesHalfATransfer() throws Exception {
    try (TestCluster cluster = TestCluster.start(dataDir)) {
      var driver = new DynamoTestClient("127.0.0.1", cluster.node(0).grpcPort(), ACCOUNT);
      var reader = new DynamoTestClient("127.0.0.1", cluster.node(1).grpcPort(), ACCOUNT);
      try {
        table(reader, "balances");
        for (int i = 0; i < ACCOUNTS; i++) {
          reader.blocking().putItem(PutItemRequest.newBuilder().setTableName("balances")
              .putItem("id", s("acct-" + i)).putItem("balance", n(START_BALANCE)).build());
        }
        long total = (long) ACCOUNTS * START_BALANCE;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<String> broken = new AtomicReference<>();
        Thread transfers = new Thread(() -> {
          while (!stop.get()) {
            int from = ThreadLocalRandom.current().nextInt(ACCOUNTS);
            int to = (from + 1 + ThreadLocalRandom.current().nextInt(ACCOUNTS - 1)) % ACCOUNTS;
            try {
              driver.blocking().transactWriteItems(transfer("acct-" + from, "acct-" + to,
                  1 + ThreadLocalRandom.current().nextInt(5), null));
            } catch (StatusRuntimeException e) {
              // cancelled, conflicting, or its node crashed: none of it may show half-done
            }
          }
        });
        Thread readers = new Thread(() -> {
          while (!stop.get()) {
            try {
              long sum = sumAtomically(reader);
              if (sum != total) {
                broken.compareAndSet(null, "an atomic read summed " + sum + ", not " + total);
              }
            } catch (StatusRuntimeException e) {
              // a pending transaction (TransactionConflict) or a failover: read again
            }
          }
        });
        transfers.start();
        readers.start();
        Thread.sleep(3_000);
        cluster.crash(0); // us-east-1a: the node that drives every transaction
        Thread.sleep(3_000);
        stop.set(true);
        transfers.join(30_000);
        readers.join(30_000);
        assertThat(broken.get()).as("no reader saw half a transfer").isNull();
        // Transactions the crash cut half-way are finished by the reads that find them.
        long sum = -1;
        for (int i = 0; i < 100 && sum != total; i++) {
          try {
            sum = sumAtomically(reader);
          } catch (StatusRuntimeException e) {
            Thread.sleep(200);
          }
        }
        assertThat(sum).isEqualTo(total);
      } finally {
        driver.close();
        reader.close();
      }
    }
  }
}
