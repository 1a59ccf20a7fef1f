package fabric.queue.entity;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.core.entity.EntityCommand;
import fabric.core.entity.Rejected;
import fabric.core.entity.Reply;
import fabric.core.testkit.EntityTestKit;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AccountQueuesTest {
  private static ActorTestKit kit;
  private EventSourcedBehaviorTestKit<EntityCommand, AccountQueuesDefinition.Event,
      AccountQueuesDefinition.State> index;

  @BeforeAll
  static void start() {
    kit = EntityTestKit.actorTestKit("AccountQueuesTest");
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void fill() {
    index = EntityTestKit.entity(kit, new AccountQueuesDefinition(), "111122223333");
    for (String name : new String[] {"orders-eu", "orders-us", "billing", "orders-ap",
        "orders-us"}) {
      run(r -> new AccountQueuesDefinition.Register(name, r));
    }
  }

  private Reply run(Function<ActorRef<Reply>, EntityCommand> command) {
    return index.runCommand(command::apply).reply();
  }

  private AccountQueuesDefinition.Names list(String prefix, int max, String token) {
    return (AccountQueuesDefinition.Names) run(r ->
        new AccountQueuesDefinition.ListNames(prefix, max, token, r));
  }

  @Test
  void namesComeSortedByPrefixAndPageByPage() {
    assertThat(list("", 0, null).names())
        .containsExactly("billing", "orders-ap", "orders-eu", "orders-us");
    AccountQueuesDefinition.Names first = list("orders", 2, null);
    assertThat(first.names()).containsExactly("orders-ap", "orders-eu");
    assertThat(first.nextToken()).isNotNull();
    AccountQueuesDefinition.Names second = list("orders", 2, first.nextToken());
    assertThat(second.names()).containsExactly("orders-us");
    assertThat(second.nextToken()).isNull();
    assertThat(list("", 0, null).nextToken()).as("no token without MaxResults").isNull();
  }

  @Test
  void unregisteringIsIdempotentAndBadTokensAreRefused() {
    run(r -> new AccountQueuesDefinition.Unregister("billing", r));
    run(r -> new AccountQueuesDefinition.Unregister("billing", r));
    assertThat(list("b", 0, null).names()).isEmpty();
    assertThat(run(r -> new AccountQueuesDefinition.ListNames("", 5, "garbage!", r)))
        .isInstanceOfSatisfying(Rejected.class,
            e -> assertThat(e.error().code()).isEqualTo("InvalidParameterValue"));
    assertThat(run(r -> new AccountQueuesDefinition.ListNames("", 1001, null, r)))
        .isInstanceOf(Rejected.class);
  }
}
