package fabric.dynamo.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fabric.core.error.ServiceException;
import fabric.dynamo.model.KeySchema;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** UpdateTable's GlobalSecondaryIndexUpdates on a spec, with DynamoDB's errors. */
class GlobalIndexSpecsTest {
  private static final KeySchema TABLE = new KeySchema("pk", "S", null, null);
  private static final IndexSpec BY_CITY = new IndexSpec("byCity",
      new KeySchema("city", "S", null, null), "KEYS_ONLY", List.of(), 0, 0);
  private static final TableSpec SPEC = TableSpecs.check(new TableSpec(
      Map.of("pk", "S", "city", "S"), TABLE, TableSpec.PAY_PER_REQUEST, 0, 0, List.of(),
      List.of(BY_CITY), null));

  private static void fails(Runnable call, String code, String message) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(ServiceException.class, e -> {
      assertThat(e.error().code()).isEqualTo(code);
      assertThat(e.error().message()).contains(message);
    });
  }

  @Test
  void aCreatedIndexTakesItsKeyTypesFromTheMergedDefinitions() {
    // The request defines "age" only; "city" is the table's already.
    IndexSpec byCityAge = new IndexSpec("byCityAge", new KeySchema("city", null, "age", null),
        "ALL", List.of(), 0, 0);
    TableSpec after = TableSpecs.withGlobalIndexUpdate(SPEC,
        new TableCommand.CreateGlobalIndex(byCityAge, Map.of("age", "N"), null));
    assertThat(after.globalIndexes()).extracting(IndexSpec::name)
        .containsExactly("byCity", "byCityAge");
    assertThat(after.globalIndexes().get(1).keySchema())
        .isEqualTo(new KeySchema("city", "S", "age", "N"));
    assertThat(after.attributeDefinitions()).containsEntry("age", "N");
  }

  @Test
  void badCreatesAreRefused() {
    fails(() -> TableSpecs.withGlobalIndexUpdate(SPEC, new TableCommand.CreateGlobalIndex(
        BY_CITY, Map.of(), null)), "ValidationException",
        "Attempting to create an index which already exists");
    fails(() -> TableSpecs.withGlobalIndexUpdate(SPEC, new TableCommand.CreateGlobalIndex(
        new IndexSpec("byMail", new KeySchema("mail", null, null, null), "ALL", List.of(), 0,
            0), Map.of(), null)), "ValidationException",
        "Some index key attributes are not defined in AttributeDefinitions");
    fails(() -> TableSpecs.withGlobalIndexUpdate(SPEC, new TableCommand.CreateGlobalIndex(
        new IndexSpec("byCity2", new KeySchema("city", null, null, null), "ALL", List.of(),
            0, 0), Map.of("city", "N"), null)), "ValidationException",
        "Cannot change the type of existing attribute city");
    fails(() -> TableSpecs.withGlobalIndexUpdate(SPEC, new TableCommand.CreateGlobalIndex(
        new IndexSpec("byCity2", new KeySchema("city", null, null, null), "KEYS_ONLY",
            List.of("x"), 0, 0), Map.of(), null)), "ValidationException",
        "ProjectionType is KEYS_ONLY, but NonKeyAttributes is specified");
  }

  @Test
  void aDeletedIndexTakesItsOwnDefinitionsAlong() {
    TableSpec after = TableSpecs.withGlobalIndexUpdate(SPEC,
        new TableCommand.DeleteGlobalIndex("byCity", null));
    assertThat(after.globalIndexes()).isEmpty();
    assertThat(after.attributeDefinitions()).containsOnlyKeys("pk");
    fails(() -> TableSpecs.withGlobalIndexUpdate(after,
        new TableCommand.DeleteGlobalIndex("byCity", null)), "ResourceNotFoundException",
        "byCity");
  }

  @Test
  void theTwentyFirstIndexIsRefused() {
    TableSpec spec = SPEC;
    for (int i = 1; i < TableSpecs.MAX_GLOBAL_INDEXES; i++) {
      spec = TableSpecs.withGlobalIndexUpdate(spec, new TableCommand.CreateGlobalIndex(
          new IndexSpec("index" + i, new KeySchema("city", null, null, null), "KEYS_ONLY",
              List.of(), 0, 0), Map.of(), null));
    }
    TableSpec twenty = spec;
    assertThat(twenty.globalIndexes()).hasSize(20);
    fails(() -> TableSpecs.withGlobalIndexUpdate(twenty, new TableCommand.CreateGlobalIndex(
        new IndexSpec("index21", new KeySchema("city", null, null, null), "KEYS_ONLY",
            List.of(), 0, 0), Map.of(), null)), "ValidationException",
        "GlobalSecondaryIndex count exceeds the per-table limit of 20");
  }
}
