package fabric.core.index;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.core.entity.EntityCommand;
import fabric.core.entity.Reply;
import fabric.core.testkit.EntityTestKit;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An account's names: sorted, filtered by prefix, paged after the last name. */
class NameIndexTest {
  private static final ActorTestKit kit = EntityTestKit.actorTestKit("NameIndexTest");
  private EventSourcedBehaviorTestKit<EntityCommand, NameIndexDefinition.Event,
      NameIndexDefinition.State> index;

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void fill() {
    index = EntityTestKit.entity(kit, new NameIndexDefinition("AccountThings"), "111122223333");
    for (String name : new String[] {"orders-eu", "orders-us", "billing", "orders-ap",
        "orders-us"}) {
      run(r -> new NameIndexDefinition.Register(name, r));
    }
  }

  private Reply run(Function<ActorRef<Reply>, EntityCommand> command) {
    return index.runCommand(command::apply).reply();
  }

  private NameIndexDefinition.Names list(String prefix, String after, int limit) {
    return (NameIndexDefinition.Names) run(r ->
        new NameIndexDefinition.ListNames(prefix, after, limit, r));
  }

  @Test
  void namesComeSortedByPrefixAndPageByPage() {
    assertThat(list("", null, 1000).names())
        .containsExactly("billing", "orders-ap", "orders-eu", "orders-us");
    NameIndexDefinition.Names first = list("orders", null, 2);
    assertThat(first.names()).containsExactly("orders-ap", "orders-eu");
    assertThat(first.more()).isTrue();
    NameIndexDefinition.Names second = list("orders", "orders-eu", 2);
    assertThat(second.names()).containsExactly("orders-us");
    assertThat(second.more()).isFalse();
  }

  @Test
  void registeringAndUnregisteringAreIdempotent() {
    run(r -> new NameIndexDefinition.Unregister("billing", r));
    run(r -> new NameIndexDefinition.Unregister("billing", r));
    assertThat(list("b", null, 10).names()).isEmpty();
    assertThat(index.getState().toList()).hasSize(3);
  }
}
