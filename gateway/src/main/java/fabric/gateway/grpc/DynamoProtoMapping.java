package fabric.gateway.grpc;

import com.google.protobuf.ByteString;
import fabric.dynamo.model.AttributeValue;
import fabric.dynamo.model.Bytes;
import fabric.dynamo.model.DynamoErrors;
import fabric.dynamo.model.DynamoNumber;
import fabric.dynamo.model.Item;
import fabric.dynamo.model.KeySchema;
import fabric.dynamo.service.DynamoGlobalIndexes;
import fabric.dynamo.table.IndexSpec;
import fabric.dynamo.table.TableSpec;
import fabric.dynamo.table.TableState;
import fabric.dynamodb.v1.AttributeDefinition;
import fabric.dynamodb.v1.CreateTableRequest;
import fabric.dynamodb.v1.IndexDescription;
import fabric.dynamodb.v1.KeySchemaElement;
import fabric.dynamodb.v1.Projection;
import fabric.dynamodb.v1.ProvisionedThroughput;
import fabric.dynamodb.v1.StreamSpecification;
import fabric.dynamodb.v1.TableDescription;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** DynamoDB's protobuf messages to the model and back, with AWS's validation messages. */
final class DynamoProtoMapping {
  private DynamoProtoMapping() {}

  static AttributeValue value(fabric.dynamodb.v1.AttributeValue v) {
    switch (v.getValueCase()) {
      case S:
        return new AttributeValue.S(v.getS());
      case N:
        return new AttributeValue.N(DynamoNumber.parse(v.getN()));
      case B:
        return new AttributeValue.B(Bytes.of(v.getB().toByteArray()));
      case SS:
        return new AttributeValue.SS(distinct(v.getSs().getValuesList(), "SS"));
      case NS:
        return new AttributeValue.NS(distinct(v.getNs().getValuesList().stream()
            .map(DynamoNumber::parse).toList(), "NS"));
      case BS:
        return new AttributeValue.BS(distinct(v.getBs().getValuesList().stream()
            .map(b -> Bytes.of(b.toByteArray())).toList(), "BS"));
      case M:
        return new AttributeValue.M(values(v.getM().getValuesMap()));
      case L:
        return new AttributeValue.L(v.getL().getValuesList().stream()
            .map(DynamoProtoMapping::value).toList());
      case NULL:
        if (!v.getNull()) {
          throw DynamoErrors.validation("One or more parameter values were invalid: Null "
              + "attribute value types must have the value of true");
        }
        return new AttributeValue.Null();
      case BOOL:
        return new AttributeValue.Bool(v.getBool());
      default:
        throw DynamoErrors.validation("Supplied AttributeValue is empty, must contain exactly "
            + "one of the supported datatypes");
    }
  }

  private static <T> Set<T> distinct(List<T> values, String type) {
    if (values.isEmpty()) {
      throw DynamoErrors.validation("One or more parameter values were invalid: An "
          + type.replace("S", " set").trim() + " may not be empty");
    }
    Set<T> set = new LinkedHashSet<>(values);
    if (set.size() != values.size()) {
      throw DynamoErrors.validation("One or more parameter values were invalid: Input "
          + "collection " + values + " contains duplicates.");
    }
    return set;
  }

  static Map<String, AttributeValue> values(Map<String, fabric.dynamodb.v1.AttributeValue> in) {
    Map<String, AttributeValue> out = new LinkedHashMap<>();
    in.forEach((k, v) -> out.put(k, value(v)));
    return out;
  }

  static Item item(Map<String, fabric.dynamodb.v1.AttributeValue> in) {
    return new Item(values(in));
  }

  static fabric.dynamodb.v1.AttributeValue proto(AttributeValue v) {
    var b = fabric.dynamodb.v1.AttributeValue.newBuilder();
    if (v instanceof AttributeValue.S s) {
      b.setS(s.value());
    } else if (v instanceof AttributeValue.N n) {
      b.setN(n.value().text());
    } else if (v instanceof AttributeValue.B bin) {
      b.setB(ByteString.copyFrom(bin.value().toArray()));
    } else if (v instanceof AttributeValue.SS ss) {
      b.setSs(fabric.dynamodb.v1.StringSet.newBuilder().addAllValues(ss.values()));
    } else if (v instanceof AttributeValue.NS ns) {
      b.setNs(fabric.dynamodb.v1.NumberSet.newBuilder().addAllValues(ns.values().stream()
          .map(DynamoNumber::text).toList()));
    } else if (v instanceof AttributeValue.BS bs) {
      b.setBs(fabric.dynamodb.v1.BinarySet.newBuilder().addAllValues(bs.values().stream()
          .map(x -> ByteString.copyFrom(x.toArray())).toList()));
    } else if (v instanceof AttributeValue.M m) {
      b.setM(fabric.dynamodb.v1.MapValue.newBuilder().putAllValues(protos(m.values())));
    } else if (v instanceof AttributeValue.L l) {
      b.setL(fabric.dynamodb.v1.ListValue.newBuilder().addAllValues(l.values().stream()
          .map(DynamoProtoMapping::proto).toList()));
    } else if (v instanceof AttributeValue.Null) {
      b.setNull(true);
    } else {
      b.setBool(((AttributeValue.Bool) v).value());
    }
    return b.build();
  }

  static Map<String, fabric.dynamodb.v1.AttributeValue> protos(Map<String, AttributeValue> in) {
    Map<String, fabric.dynamodb.v1.AttributeValue> out = new LinkedHashMap<>();
    in.forEach((k, v) -> out.put(k, proto(v)));
    return out;
  }

  static KeySchema keySchema(List<KeySchemaElement> elements,
      Map<String, String> definitions) {
    String hash = null;
    String range = null;
    for (KeySchemaElement e : elements) {
      if ("HASH".equals(e.getKeyType()) && hash == null) {
        hash = e.getAttributeName();
      } else if ("RANGE".equals(e.getKeyType()) && range == null && hash != null) {
        range = e.getAttributeName();
      } else {
        throw DynamoErrors.validation("Invalid KeySchema: The first KeySchemaElement is not a "
            + "HASH key type, or there is more than one HASH or RANGE key");
      }
    }
    if (hash == null) {
      throw DynamoErrors.validation("1 validation error detected: Value null at 'keySchema' "
          + "failed to satisfy constraint: Member must not be null");
    }
    return new KeySchema(hash, definitions.get(hash), range,
        range == null ? null : definitions.get(range));
  }

  static IndexSpec globalIndex(fabric.dynamodb.v1.GlobalSecondaryIndex gsi,
      Map<String, String> definitions) {
    return new IndexSpec(gsi.getIndexName(), keySchema(gsi.getKeySchemaList(), definitions),
        gsi.getProjection().getProjectionType(), gsi.getProjection().getNonKeyAttributesList(),
        gsi.getProvisionedThroughput().getReadCapacityUnits(),
        gsi.getProvisionedThroughput().getWriteCapacityUnits());
  }

  static TableSpec spec(CreateTableRequest r) {
    Map<String, String> definitions = new LinkedHashMap<>();
    for (AttributeDefinition d : r.getAttributeDefinitionsList()) {
      if (definitions.put(d.getAttributeName(), d.getAttributeType()) != null) {
        throw DynamoErrors.validation("Cannot have two attributes with the same name: "
            + d.getAttributeName());
      }
    }
    String billing = r.getBillingMode().isEmpty() ? TableSpec.PROVISIONED : r.getBillingMode();
    List<IndexSpec> lsis = new ArrayList<>();
    for (var lsi : r.getLocalSecondaryIndexesList()) {
      lsis.add(new IndexSpec(lsi.getIndexName(), keySchema(lsi.getKeySchemaList(), definitions),
          lsi.getProjection().getProjectionType(), lsi.getProjection().getNonKeyAttributesList(),
          0, 0));
    }
    List<IndexSpec> gsis = new ArrayList<>();
    for (var gsi : r.getGlobalSecondaryIndexesList()) {
      gsis.add(globalIndex(gsi, definitions));
    }
    return new TableSpec(definitions, keySchema(r.getKeySchemaList(), definitions), billing,
        r.getProvisionedThroughput().getReadCapacityUnits(),
        r.getProvisionedThroughput().getWriteCapacityUnits(), lsis, gsis,
        r.getStreamSpecification().getStreamEnabled()
            ? r.getStreamSpecification().getStreamViewType() : null);
  }

  private static List<KeySchemaElement> elements(KeySchema k) {
    List<KeySchemaElement> out = new ArrayList<>();
    out.add(KeySchemaElement.newBuilder().setAttributeName(k.hashName()).setKeyType("HASH")
        .build());
    if (k.hasRange()) {
      out.add(KeySchemaElement.newBuilder().setAttributeName(k.rangeName())
          .setKeyType("RANGE").build());
    }
    return out;
  }

  private static IndexDescription index(IndexSpec i, String tableArn, boolean global,
      String tableStatus, DynamoGlobalIndexes.Status status) {
    var b = IndexDescription.newBuilder().setIndexName(i.name())
        .addAllKeySchema(elements(i.keySchema()))
        .setProjection(Projection.newBuilder().setProjectionType(i.projectionType())
            .addAllNonKeyAttributes(i.nonKeyAttributes()))
        .setIndexArn(tableArn + "/index/" + i.name());
    if (global) {
      // Without its entity's status (CreateTable's answer): as its table.
      if (status == null) {
        b.setIndexStatus("CREATING".equals(tableStatus) ? "CREATING" : "ACTIVE");
      } else {
        b.setIndexStatus(status.status()).setBackfilling(status.backfilling())
            .setItemCount(status.itemCount()).setIndexSizeBytes(status.sizeBytes());
      }
      b.setProvisionedThroughput(ProvisionedThroughput.newBuilder()
          .setReadCapacityUnits(i.readCapacityUnits())
          .setWriteCapacityUnits(i.writeCapacityUnits()));
    }
    return b.build();
  }

  static TableDescription description(TableState t, String name, String arn) {
    return description(t, name, arn, Map.of());
  }

  /** @param gsis the global indexes' statuses by name (absent: shown as the table's) */
  static TableDescription description(TableState t, String name, String arn,
      Map<String, DynamoGlobalIndexes.Status> gsis) {
    TableSpec spec = t.spec();
    var b = TableDescription.newBuilder().setTableName(name).setTableArn(arn)
        .setTableId(t.tableId()).setTableStatus(t.status())
        .setCreationDateTime(t.createdAtMillis() / 1000.0)
        .setBillingMode(spec.billingMode())
        .addAllKeySchema(elements(spec.keySchema()))
        .setProvisionedThroughput(ProvisionedThroughput.newBuilder()
            .setReadCapacityUnits(spec.readCapacityUnits())
            .setWriteCapacityUnits(spec.writeCapacityUnits()));
    spec.attributeDefinitions().forEach((n, type) -> b.addAttributeDefinitions(
        AttributeDefinition.newBuilder().setAttributeName(n).setAttributeType(type)));
    spec.localIndexes().forEach(i -> b.addLocalSecondaryIndexes(index(i, arn, false,
        t.status(), null)));
    spec.globalIndexes().forEach(i -> b.addGlobalSecondaryIndexes(index(i, arn, true,
        t.status(), gsis.get(i.name()))));
    if (spec.streamViewType() != null) {
      b.setStreamSpecification(StreamSpecification.newBuilder().setStreamEnabled(true)
          .setStreamViewType(spec.streamViewType()));
    }
    t.replicas().forEach(r -> b.addReplicas(fabric.dynamodb.v1.ReplicaDescription.newBuilder()
        .setRegionName(r.regionName()).setReplicaStatus(r.status())));
    if (!t.replicas().isEmpty()) {
      b.setGlobalTableVersion("2019.11.21");
    }
    return b.build();
  }
}
