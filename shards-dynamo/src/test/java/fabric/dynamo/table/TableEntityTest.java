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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** CreateTable's rules and a table's life: CREATING, ACTIVE, TTL, tags, deleted. */
class TableEntityTest {
  private static final ActorTestKit kit = EntityTestKit.actorTestKit("TableEntityTest");
  private EventSourcedBehaviorTestKit<EntityCommand, TableEvent, TableState> table;

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void fresh() {
    table = EntityTestKit.entity(kit, new TableDefinition(), "111122223333/orders");
  }

  private Reply run(Function<ActorRef<Reply>, EntityCommand> command) {
    return table.runCommand(command::apply).reply();
  }

  static TableSpec spec(Map<String, String> definitions, KeySchema key, List<IndexSpec> lsis) {
    return new TableSpec(definitions, key, TableSpec.PAY_PER_REQUEST, 0, 0, lsis, List.of(),
        null);
  }

  private static void rejected(Reply reply, String code, String message) {
    assertThat(reply).isInstanceOfSatisfying(Rejected.class, r -> {
      assertThat(r.error().code()).isEqualTo(code);
      assertThat(r.error().message()).contains(message);
    });
  }

  private Reply create(TableSpec spec) {
    return run(r -> new TableCommand.Create("us-east-1", "tid-1", spec, Map.of(), 1_000L, r));
  }

  @Test
  void aTableIsCreatingThenActiveAndCannotBeCreatedTwice() {
    KeySchema key = new KeySchema("pk", "S", "sk", "N");
    var created = (TableReply.Description) create(spec(Map.of("pk", "S", "sk", "N"), key,
        List.of()));
    assertThat(created.table().status()).isEqualTo("CREATING");
    assertThat(created.table().partitions()).hasSize(1);
    var active = (TableReply.Description) run(r -> new TableCommand.Activate(2_000L, r));
    assertThat(active.table().status()).isEqualTo("ACTIVE");
    rejected(create(spec(Map.of("pk", "S", "sk", "N"), key, List.of())),
        "ResourceInUseException", "Table already exists: orders");
  }

  @Test
  void createTableRefusesWhatDynamoDbRefuses() {
    KeySchema hashOnly = new KeySchema("pk", "S", null, null);
    rejected(create(spec(Map.of(), hashOnly, List.of())), "ValidationException",
        "Some index key attributes are not defined in AttributeDefinitions");
    rejected(create(spec(Map.of("pk", "S", "extra", "N"), hashOnly, List.of())),
        "ValidationException", "does not exactly match number of attributes defined");
    rejected(create(spec(Map.of("pk", "X"), hashOnly, List.of())), "ValidationException",
        "Member must satisfy enum value set: [B, N, S]");
    rejected(create(spec(Map.of("pk", "S", "lk", "S"), hashOnly, List.of(new IndexSpec("byL",
            new KeySchema("pk", "S", "lk", "S"), "ALL", List.of(), 0, 0)))),
        "ValidationException", "Table KeySchema does not have a range key");
    rejected(create(new TableSpec(Map.of("pk", "S"), hashOnly, TableSpec.PROVISIONED, 0, 0,
        List.of(), List.of(), null)), "ValidationException",
        "ReadCapacityUnits and WriteCapacityUnits must both be specified");
    rejected(run(r -> new TableCommand.Describe(r)), "ResourceNotFoundException",
        "Table: orders not found");
  }

  @Test
  void timeToLiveTagsAndDelete() {
    create(spec(Map.of("pk", "S"), new KeySchema("pk", "S", null, null), List.of()));
    run(r -> new TableCommand.Activate(2_000L, r));
    run(r -> new TableCommand.UpdateTimeToLive(true, "expiresAt", r));
    rejected(run(r -> new TableCommand.UpdateTimeToLive(true, "expiresAt", r)),
        "ValidationException", "TimeToLive is already enabled");
    run(r -> new TableCommand.Tag(Map.of("team", "data"), r));
    var described = (TableReply.Description) run(TableCommand.Describe::new);
    assertThat(described.table().ttlAttribute()).isEqualTo("expiresAt");
    assertThat(described.table().tags()).containsEntry("team", "data");
    var deleted = (TableReply.Description) run(r -> new TableCommand.Delete(3_000L, r));
    assertThat(deleted.table().status()).isEqualTo("DELETING");
    rejected(run(TableCommand.Describe::new), "ResourceNotFoundException", "not found");
  }
}
