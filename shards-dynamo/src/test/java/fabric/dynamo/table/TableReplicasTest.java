package fabric.dynamo.table;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.core.entity.EntityCommand;
import fabric.core.entity.Rejected;
import fabric.core.entity.Reply;
import fabric.core.testkit.EntityTestKit;
import fabric.dynamo.model.KeySchema;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A global table's replicas in its table entity: set, idempotent, removed; while it has
 *  any, the table is not deleted and its stream not changed. */
class TableReplicasTest {
  private static final ActorTestKit kit = EntityTestKit.actorTestKit("TableReplicasTest");

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void replicasAreRecordedAndGuardTheTable() {
    EventSourcedBehaviorTestKit<EntityCommand, TableEvent, TableState> table =
        EntityTestKit.entity(kit, new TableDefinition(), "111122223333/us-east-1/carts");
    Function<Function<ActorRef<Reply>, EntityCommand>, Reply> run =
        c -> table.runCommand(c::apply).reply();
    run.apply(r -> new TableCommand.Create("us-east-1", "tid", new TableSpec(Map.of("id", "S"),
        new KeySchema("id", "S", null, null), TableSpec.PAY_PER_REQUEST, 0, 0, List.of(),
        List.of(), "NEW_AND_OLD_IMAGES"), Map.of(), 1_000, r));
    run.apply(r -> new TableCommand.Activate(1_000, r));

    run.apply(r -> new TableCommand.SetReplica("eu-west-1", "CREATING", 2_000, r));
    assertThat(table.<Reply>runCommand(r -> new TableCommand.SetReplica("eu-west-1",
        "CREATING", 3_000, r)).hasNoEvents()).as("the same status again").isTrue();
    run.apply(r -> new TableCommand.SetReplica("ap-south-1", "ACTIVE", 4_000, r));
    var twice = (TableReply.Description) run.apply(r -> new TableCommand.SetReplica(
        "eu-west-1", "ACTIVE", 5_000, r));
    assertThat(twice.table().replicas()).containsExactly(
        new TableState.Replica("ap-south-1", "ACTIVE", 4_000),
        new TableState.Replica("eu-west-1", "ACTIVE", 5_000));

    assertThat(run.apply(r -> new TableCommand.Delete(6_000, r))).isInstanceOfSatisfying(
        Rejected.class, x -> assertThat(x.error().message()).contains("remove them first"));
    assertThat(run.apply(r -> new TableCommand.Update(null, 0, 0, "", r)))
        .isInstanceOfSatisfying(Rejected.class, x -> assertThat(x.error().message())
            .contains("stream must stay enabled"));

    run.apply(r -> new TableCommand.SetReplica("eu-west-1", null, 7_000, r));
    run.apply(r -> new TableCommand.SetReplica("ap-south-1", null, 7_000, r));
    assertThat(table.getState().replicas()).isEmpty();
    assertThat(run.apply(r -> new TableCommand.Delete(8_000, r)))
        .isInstanceOf(TableReply.Description.class);
  }
}
