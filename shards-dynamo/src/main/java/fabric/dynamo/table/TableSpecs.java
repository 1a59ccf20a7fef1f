package fabric.dynamo.table;

import fabric.dynamo.model.DynamoErrors;
import fabric.dynamo.model.KeySchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** CreateTable's rules, with DynamoDB's messages. */
public final class TableSpecs {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.-]+");
  public static final int MAX_LOCAL_INDEXES = 5;
  public static final int MAX_GLOBAL_INDEXES = 20;
  public static final int MAX_INCLUDED_ATTRIBUTES = 100;
  private static final Set<String> TYPES = Set.of("S", "N", "B");
  private static final Set<String> PROJECTIONS = Set.of("KEYS_ONLY", "INCLUDE", "ALL");
  private static final Set<String> VIEWS = Set.of("KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE",
      "NEW_AND_OLD_IMAGES");

  private TableSpecs() {}

  /** A table or index name: 3-255 of letters, digits, '_', '-', '.'. */
  public static void checkName(String name, String member) {
    List<String> errors = new ArrayList<>();
    if (name == null || name.length() < 3) {
      errors.add("Value '" + name + "' at '" + member + "' failed to satisfy constraint: "
          + "Member must have length greater than or equal to 3");
    } else if (name.length() > 255) {
      errors.add("Value '" + name + "' at '" + member + "' failed to satisfy constraint: "
          + "Member must have length less than or equal to 255");
    }
    if (name != null && !name.isEmpty() && !NAME.matcher(name).matches()) {
      errors.add("Value '" + name + "' at '" + member + "' failed to satisfy constraint: "
          + "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
    }
    if (!errors.isEmpty()) {
      throw DynamoErrors.validation(errors.size() + " validation error"
          + (errors.size() > 1 ? "s" : "") + " detected: " + String.join("; ", errors));
    }
  }

  public static TableSpec check(TableSpec spec) {
    if (spec.keySchema() == null || spec.keySchema().hashName() == null) {
      throw DynamoErrors.validation("1 validation error detected: Value null at 'keySchema' "
          + "failed to satisfy constraint: Member must not be null");
    }
    spec.attributeDefinitions().forEach((name, type) -> {
      if (!TYPES.contains(type)) {
        throw DynamoErrors.validation("1 validation error detected: Value '" + type + "' at "
            + "'attributeDefinitions." + name + ".member.attributeType' failed to satisfy "
            + "constraint: Member must satisfy enum value set: [B, N, S]");
      }
    });
    Set<String> used = new TreeSet<>();
    checkKey(spec, spec.keySchema(), used);
    if (!spec.localIndexes().isEmpty() && !spec.keySchema().hasRange()) {
      throw invalid("Table KeySchema does not have a range key, which is required when "
          + "specifying a LocalSecondaryIndex");
    }
    if (spec.localIndexes().size() > MAX_LOCAL_INDEXES) {
      throw invalid("Number of LocalSecondaryIndexes exceeds per-table limit of "
          + MAX_LOCAL_INDEXES);
    }
    if (spec.globalIndexes().size() > MAX_GLOBAL_INDEXES) {
      throw invalid("GlobalSecondaryIndex count exceeds the per-table limit of "
          + MAX_GLOBAL_INDEXES);
    }
    Set<String> indexNames = new TreeSet<>();
    for (IndexSpec lsi : spec.localIndexes()) {
      checkIndex(spec, lsi, indexNames, used);
      if (!lsi.keySchema().hashName().equals(spec.keySchema().hashName())
          || !lsi.keySchema().hasRange()) {
        throw invalid("Index KeySchema does not have the same leading hash key as table "
            + "KeySchema for index: " + lsi.name() + ". index hash key: "
            + lsi.keySchema().hashName() + ", table hash key: " + spec.keySchema().hashName());
      }
    }
    for (IndexSpec gsi : spec.globalIndexes()) {
      checkIndex(spec, gsi, indexNames, used);
      checkCapacity(spec.billingMode(), gsi.readCapacityUnits(), gsi.writeCapacityUnits(),
          "index " + gsi.name());
    }
    // DynamoDB's limit is on the sum over all of a table's secondary indexes.
    int projected = 0;
    for (IndexSpec i : spec.localIndexes()) {
      projected += i.nonKeyAttributes().size();
    }
    for (IndexSpec i : spec.globalIndexes()) {
      projected += i.nonKeyAttributes().size();
    }
    if (projected > MAX_INCLUDED_ATTRIBUTES) {
      throw invalid("The number of attributes in NonKeyAttributes, summed across all of the "
          + "secondary indexes, exceeds the limit of " + MAX_INCLUDED_ATTRIBUTES + ": "
          + projected);
    }
    if (!used.equals(spec.attributeDefinitions().keySet())) {
      throw invalid("Number of attributes in KeySchema does not exactly match number of "
          + "attributes defined in AttributeDefinitions");
    }
    checkCapacity(spec.billingMode(), spec.readCapacityUnits(), spec.writeCapacityUnits(),
        "table");
    if (spec.streamViewType() != null && !VIEWS.contains(spec.streamViewType())) {
      throw DynamoErrors.validation("1 validation error detected: Value '"
          + spec.streamViewType() + "' at 'streamSpecification.streamViewType' failed to "
          + "satisfy constraint: Member must satisfy enum value set: [NEW_IMAGE, OLD_IMAGE, "
          + "NEW_AND_OLD_IMAGES, KEYS_ONLY]");
    }
    return spec;
  }

  private static void checkKey(TableSpec spec, KeySchema key, Set<String> used) {
    for (String name : key.hasRange() ? List.of(key.hashName(), key.rangeName())
        : List.of(key.hashName())) {
      if (!spec.attributeDefinitions().containsKey(name)) {
        throw invalid("Some index key attributes are not defined in AttributeDefinitions. "
            + "Keys: [" + name + "], AttributeDefinitions: "
            + new TreeSet<>(spec.attributeDefinitions().keySet()));
      }
      used.add(name);
    }
    if (key.hasRange() && key.hashName().equals(key.rangeName())) {
      throw invalid("Both the Hash Key and the Range Key element in the KeySchema have the "
          + "same name");
    }
  }

  private static void checkIndex(TableSpec spec, IndexSpec index, Set<String> names,
      Set<String> used) {
    checkName(index.name(), "indexName");
    if (!names.add(index.name())) {
      throw invalid("Duplicate index name: " + index.name());
    }
    checkKey(spec, index.keySchema(), used);
    if (!PROJECTIONS.contains(index.projectionType())) {
      throw invalid("Unknown ProjectionType: " + index.projectionType());
    }
    if (!index.projectionType().equals("INCLUDE") && !index.nonKeyAttributes().isEmpty()) {
      throw invalid("ProjectionType is " + index.projectionType() + ", but NonKeyAttributes "
          + "is specified");
    }
  }

  private static void checkCapacity(String billing, long rcu, long wcu, String what) {
    if (TableSpec.PAY_PER_REQUEST.equals(billing)) {
      if (rcu != 0 || wcu != 0) {
        throw invalid("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified "
            + "when BillingMode is PAY_PER_REQUEST");
      }
    } else if (TableSpec.PROVISIONED.equals(billing)) {
      if (rcu < 1 || wcu < 1) {
        throw invalid("ReadCapacityUnits and WriteCapacityUnits must both be specified and "
            + "at least 1 when BillingMode is PROVISIONED (" + what + ")");
      }
    } else {
      throw DynamoErrors.validation("1 validation error detected: Value '" + billing + "' at "
          + "'billingMode' failed to satisfy constraint: Member must satisfy enum value set: "
          + "[PROVISIONED, PAY_PER_REQUEST]");
    }
  }

  /** The spec after an UpdateTable, checked: billing and capacity, the stream. */
  static TableSpec updated(TableSpec spec, TableCommand.Update u) {
    String billing = u.billingMode() == null || u.billingMode().isEmpty() ? spec.billingMode()
        : u.billingMode();
    boolean toProvisioned = TableSpec.PROVISIONED.equals(billing);
    long rcu = u.readCapacityUnits() > 0 ? u.readCapacityUnits()
        : toProvisioned ? spec.readCapacityUnits() : 0;
    long wcu = u.writeCapacityUnits() > 0 ? u.writeCapacityUnits()
        : toProvisioned ? spec.writeCapacityUnits() : 0;
    checkCapacity(billing, rcu, wcu, "table");
    String stream = spec.streamViewType();
    if (u.streamViewType() != null) {
      if (u.streamViewType().isEmpty()) {
        if (stream == null) {
          throw invalid("Table already has no stream to disable");
        }
        stream = null;
      } else {
        if (stream != null) {
          throw DynamoErrors.validation("Table already has an enabled stream");
        }
        if (!VIEWS.contains(u.streamViewType())) {
          throw invalid("Unknown StreamViewType: " + u.streamViewType());
        }
        stream = u.streamViewType();
      }
    }
    if (billing.equals(spec.billingMode()) && rcu == spec.readCapacityUnits()
        && wcu == spec.writeCapacityUnits() && java.util.Objects.equals(stream,
        spec.streamViewType())) {
      throw DynamoErrors.validation("The provisioned throughput for the table will not "
          + "change. The requested value equals the current value.");
    }
    return new TableSpec(spec.attributeDefinitions(), spec.keySchema(), billing, rcu, wcu,
        spec.localIndexes(), spec.globalIndexes(), stream);
  }

  /**
   * The spec after one of UpdateTable's GlobalSecondaryIndexUpdates, checked as CreateTable
   * checks a spec (AttributeDefinitions then name exactly the key attributes in use).
   */
  static TableSpec withGlobalIndexUpdate(TableSpec spec, TableCommand command) {
    List<IndexSpec> gsis = new ArrayList<>(spec.globalIndexes());
    java.util.Map<String, String> definitions = new java.util.TreeMap<>(
        spec.attributeDefinitions());
    if (command instanceof TableCommand.CreateGlobalIndex create) {
      IndexSpec index = create.index();
      if (gsis.stream().anyMatch(g -> g.name().equals(index.name()))
          || spec.localIndexes().stream().anyMatch(l -> l.name().equals(index.name()))) {
        throw DynamoErrors.validation("One or more parameter values were invalid: Attempting "
            + "to create an index which already exists: " + index.name());
      }
      create.attributeDefinitions().forEach((name, type) -> {
        String had = definitions.put(name, type);
        if (had != null && !had.equals(type)) {
          throw invalid("Cannot change the type of existing attribute " + name + " from "
              + had + " to " + type);
        }
      });
      // The request may leave out definitions the table has: types from the merged ones.
      KeySchema k = index.keySchema();
      gsis.add(new IndexSpec(index.name(), new KeySchema(k.hashName(),
          definitions.get(k.hashName()), k.rangeName(), k.rangeName() == null ? null
          : definitions.get(k.rangeName())), index.projectionType(), index.nonKeyAttributes(),
          index.readCapacityUnits(), index.writeCapacityUnits()));
    } else {
      String name = command instanceof TableCommand.DeleteGlobalIndex d ? d.indexName()
          : ((TableCommand.UpdateGlobalIndex) command).indexName();
      int at = -1;
      for (int i = 0; i < gsis.size(); i++) {
        if (gsis.get(i).name().equals(name)) {
          at = i;
        }
      }
      if (at < 0) {
        throw DynamoErrors.ResourceNotFoundException.exception("Requested resource not "
            + "found: Index: " + name + " not found in table");
      }
      if (command instanceof TableCommand.UpdateGlobalIndex u) {
        IndexSpec g = gsis.get(at);
        if (u.readCapacityUnits() == g.readCapacityUnits()
            && u.writeCapacityUnits() == g.writeCapacityUnits()) {
          throw DynamoErrors.validation("The provisioned throughput for the index " + name
              + " will not change. The requested value equals the current value.");
        }
        gsis.set(at, new IndexSpec(g.name(), g.keySchema(), g.projectionType(),
            g.nonKeyAttributes(), u.readCapacityUnits(), u.writeCapacityUnits()));
      } else {
        gsis.remove(at);
      }
    }
    // Definitions only the deleted index used leave with it.
    Set<String> used = new TreeSet<>();
    List<KeySchema> keys = new ArrayList<>(List.of(spec.keySchema()));
    spec.localIndexes().forEach(l -> keys.add(l.keySchema()));
    gsis.forEach(g -> keys.add(g.keySchema()));
    keys.forEach(k -> {
      used.add(k.hashName());
      if (k.hasRange()) {
        used.add(k.rangeName());
      }
    });
    if (!(command instanceof TableCommand.CreateGlobalIndex)) {
      definitions.keySet().retainAll(used);
    }
    return check(new TableSpec(definitions, spec.keySchema(), spec.billingMode(),
        spec.readCapacityUnits(), spec.writeCapacityUnits(), spec.localIndexes(), gsis,
        spec.streamViewType()));
  }

  private static RuntimeException invalid(String what) {
    return DynamoErrors.validation("One or more parameter values were invalid: " + what);
  }
}
