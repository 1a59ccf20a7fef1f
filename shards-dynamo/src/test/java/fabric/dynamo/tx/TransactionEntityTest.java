package fabric.dynamo.tx;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.core.entity.EntityCommand;
import fabric.core.entity.Rejected;
import fabric.core.entity.Reply;
import fabric.core.testkit.EntityTestKit;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The coordinator: one decision, made once; a token's outcome for 10 minutes. */
class TransactionEntityTest {
  private static final ActorTestKit kit = EntityTestKit.actorTestKit("TransactionEntityTest");
  private static final List<TransactionDefinition.Participant> PARTS =
      List.of(new TransactionDefinition.Participant("acct/t/tid/p0"));
  private EventSourcedBehaviorTestKit<EntityCommand, TransactionDefinition.Event,
      TransactionDefinition.State> tx;

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void fresh() {
    tx = EntityTestKit.entity(kit, new TransactionDefinition(), "acct/token-1");
  }

  private Reply run(Function<ActorRef<Reply>, EntityCommand> command) {
    return tx.runCommand(command::apply).reply();
  }

  private TransactionDefinition.Status begin(String digest, long at) {
    return (TransactionDefinition.Status) run(r -> new TransactionDefinition.Begin(digest,
        PARTS, at, r));
  }

  @Test
  void theFirstDecisionStandsAndARetryOfTheTokenGetsIt() {
    assertThat(begin("d1", 0).begunNow()).isTrue();
    var committed = (TransactionDefinition.Status) run(r -> new TransactionDefinition.Decide(
        true, List.of(), r));
    assertThat(committed.status()).isEqualTo(TransactionDefinition.COMMITTED);
    var late = (TransactionDefinition.Status) run(r -> new TransactionDefinition.Decide(false,
        List.of("TransactionConflict"), r));
    assertThat(late.status()).as("a resolver that comes late cannot cancel it")
        .isEqualTo(TransactionDefinition.COMMITTED);
    var retry = begin("d1", 60_000);
    assertThat(retry.begunNow()).isFalse();
    assertThat(retry.status()).isEqualTo(TransactionDefinition.COMMITTED);
    assertThat(run(r -> new TransactionDefinition.Begin("d2", PARTS, 60_000, r)))
        .isInstanceOfSatisfying(Rejected.class, x -> assertThat(x.error().code())
            .isEqualTo("IdempotentParameterMismatchException"));
    assertThat(begin("d2", TransactionDefinition.TOKEN_MILLIS + 1).begunNow())
        .as("after 10 minutes the token starts a new transaction").isTrue();
  }

  @Test
  void aCancellationKeepsItsReasons() {
    begin("d1", 0);
    run(r -> new TransactionDefinition.Decide(false, List.of("None",
        "ConditionalCheckFailed"), r));
    var again = begin("d1", 1);
    assertThat(again.status()).isEqualTo(TransactionDefinition.CANCELLED);
    assertThat(again.reasons()).containsExactly("None", "ConditionalCheckFailed");
  }
}
