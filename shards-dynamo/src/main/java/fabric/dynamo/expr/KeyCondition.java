package fabric.dynamo.expr;

import fabric.dynamo.expr.Ast.Between;
import fabric.dynamo.expr.Ast.Compare;
import fabric.dynamo.expr.Ast.Comparator;
import fabric.dynamo.expr.Ast.Cond;
import fabric.dynamo.expr.Ast.Operand;
import fabric.dynamo.expr.Ast.PathRef;
import fabric.dynamo.expr.Ast.ValueRef;
import fabric.dynamo.expr.Expressions.Kind;
import fabric.dynamo.model.AttributeValue;
import fabric.dynamo.model.DynamoErrors;
import fabric.dynamo.model.Item;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed KeyConditionExpression, reduced to what a Query needs: the partition key's value
 * ({@code pk = :v}) and, optionally, one condition on the sort key ({@code =, <, <=, >, >=,
 * BETWEEN, begins_with}) with the bounds of the sorted range it selects.
 * Immutable and thread-safe once parsed.
 */
public final class KeyCondition {
  private final Schema schema;
  private final AttributeValue hashValue;
  private final RangeCondition range;

  private KeyCondition(Schema schema, AttributeValue hashValue, RangeCondition range) {
    this.schema = schema;
    this.hashValue = hashValue;
    this.range = range;
  }

  /**
   * A table's (or index's) key schema: the partition key's name, the sort key's (null for none),
   * and their types ("S", "N" or "B"; null to leave the values' types unchecked).
   */
  public record Schema(String hashName, String hashType, String rangeName, String rangeType) {
    public Schema {
      Objects.requireNonNull(hashName, "hashName");
    }

    public static Schema hash(String name, String type) {
      return new Schema(name, type, null, null);
    }

    public Schema withRange(String name, String type) {
      return new Schema(hashName, hashType, name, type);
    }
  }

  /** The sort key conditions a Query accepts. */
  public enum Operator { EQ, LT, LE, GT, GE, BETWEEN, BEGINS_WITH }

  /** One end of a sorted range. */
  public record Bound(AttributeValue value, boolean inclusive) {}

  /**
   * The sort key condition, written with the key on the left ({@code :v < sk} is {@code sk > :v}):
   * {@code value} is the operand, or BETWEEN's lower bound and {@code upper} its upper bound.
   */
  public record RangeCondition(String attributeName, Operator operator, AttributeValue value,
      AttributeValue upper) {

    /** Whether a sort key value satisfies the condition (null: the item has none). */
    public boolean test(AttributeValue sortKey) {
      return switch (operator) {
        case EQ -> Values.equal(sortKey, value);
        case LT -> Comparator.LT.test(sortKey, value);
        case LE -> Comparator.LE.test(sortKey, value);
        case GT -> Comparator.GT.test(sortKey, value);
        case GE -> Comparator.GE.test(sortKey, value);
        case BETWEEN -> Comparator.GE.test(sortKey, value) && Comparator.LE.test(sortKey, upper);
        case BEGINS_WITH -> Values.beginsWith(sortKey, value);
      };
    }

    /**
     * Where a scan of the sort keys in order starts: null from the first. For begins_with it is
     * the prefix: the matching keys follow it, and the scan stops at the first that fails
     * {@link #test}.
     */
    public Bound lowerBound() {
      return switch (operator) {
        case EQ, GE, BETWEEN, BEGINS_WITH -> new Bound(value, true);
        case GT -> new Bound(value, false);
        case LT, LE -> null;
      };
    }

    /** Where that scan ends: null to the last (or, for begins_with, the first failing key). */
    public Bound upperBound() {
      return switch (operator) {
        case EQ, LE -> new Bound(value, true);
        case LT -> new Bound(value, false);
        case BETWEEN -> new Bound(upper, true);
        case GT, GE, BEGINS_WITH -> null;
      };
    }
  }

  /**
   * Parses a KeyConditionExpression for a table or index with this key schema, with DynamoDB's
   * checks and messages ("Query condition missed key schema element: pk", "Query key condition
   * not supported", "KeyConditionExpressions must only contain one condition per key", ...).
   */
  public static KeyCondition parse(String expression, ExpressionContext context, Schema schema) {
    Cond cond = ConditionBuilder.parse(Kind.KEY_CONDITION, expression, context);
    checkOperators(cond);
    List<Cond> parts = new ArrayList<>();
    flatten(cond, parts);
    List<String> names = new ArrayList<>();
    for (Cond part : parts) {
      names.add(keyAttribute(part));
    }
    if (new HashSet<>(names).size() != names.size()) {
      throw invalid("KeyConditionExpressions must only contain one condition per key");
    }
    if (parts.size() > 2) {
      throw invalid("Conditions can be of length 1 or 2 only");
    }
    int keys = schema.rangeName() == null ? 1 : 2;
    if (parts.size() > keys) {
      throw invalid("Query key condition not supported");
    }
    int hashAt = names.indexOf(schema.hashName());
    if (hashAt < 0) {
      throw invalid("Query condition missed key schema element: " + schema.hashName());
    }
    int rangeAt = parts.size() == 2 ? names.indexOf(schema.rangeName()) : -1;
    if (parts.size() == 2 && rangeAt < 0) {
      throw invalid("Query condition missed key schema element: " + schema.rangeName());
    }
    Cond hashPart = parts.get(hashAt);
    if (!(hashPart instanceof Compare c) || c.op() != Comparator.EQ) {
      throw invalid("Query key condition not supported");
    }
    checkTypes(hashPart, schema.hashType());
    AttributeValue hashValue = valuesOf(hashPart).get(0);
    RangeCondition range = null;
    if (rangeAt >= 0) {
      Cond rangePart = parts.get(rangeAt);
      checkTypes(rangePart, schema.rangeType());
      range = rangeCondition(schema.rangeName(), rangePart);
    }
    return new KeyCondition(schema, hashValue, range);
  }

  private static RuntimeException invalid(String message) {
    return DynamoErrors.validation(message);
  }

  /** Only AND, the comparators but {@code <>}, BETWEEN and begins_with may appear. */
  private static void checkOperators(Cond cond) {
    if (cond instanceof Ast.And and) {
      checkOperators(and.left());
      checkOperators(and.right());
      return;
    }
    String bad = null;
    if (cond instanceof Ast.Or) {
      bad = "OR";
    } else if (cond instanceof Ast.Not) {
      bad = "NOT";
    } else if (cond instanceof Ast.In) {
      bad = "IN";
    } else if (cond instanceof Compare c && c.op() == Comparator.NE) {
      bad = "<>";
    } else if (cond instanceof Ast.Function f && !f.name().equals("begins_with")) {
      bad = f.name();
    }
    if (bad != null) {
      throw invalid("Invalid operator used in KeyConditionExpression: " + bad);
    }
  }

  private static void flatten(Cond cond, List<Cond> parts) {
    if (cond instanceof Ast.And and) {
      flatten(and.left(), parts);
      flatten(and.right(), parts);
    } else {
      parts.add(cond);
    }
  }

  private static List<Operand> operands(Cond part) {
    if (part instanceof Compare c) {
      return List.of(c.left(), c.right());
    } else if (part instanceof Between b) {
      return List.of(b.operand(), b.lower(), b.upper());
    }
    return ((Ast.Function) part).args();
  }

  /** The one top-level attribute a key condition is about, as DynamoDB checks it. */
  private static String keyAttribute(Cond part) {
    List<Operand> operands = operands(part);
    if (part instanceof Between || part instanceof Ast.Function) {
      if (!(operands.get(0) instanceof PathRef)) {
        String operator = part instanceof Between ? "BETWEEN" : "begins_with";
        throw invalid("Invalid condition in KeyConditionExpression: " + operator
            + " operator must have the key attribute as its first operand");
      }
    }
    String attribute = null;
    for (Operand operand : operands) {
      if (operand instanceof Ast.Call) {
        throw invalid("KeyConditionExpressions cannot contain nested operations");
      }
      if (operand instanceof PathRef p) {
        if (attribute != null) {
          throw invalid("Invalid condition in KeyConditionExpression: Multiple attribute names "
              + "used in one condition");
        }
        if (p.path().size() > 1) {
          throw invalid("KeyConditionExpressions cannot have conditions on nested attributes");
        }
        attribute = p.path().attributeName();
      }
    }
    if (attribute == null) {
      throw invalid("Invalid condition in KeyConditionExpression: No key attribute specified");
    }
    return attribute;
  }

  private static List<AttributeValue> valuesOf(Cond part) {
    List<AttributeValue> values = new ArrayList<>();
    for (Operand operand : operands(part)) {
      if (operand instanceof ValueRef v) {
        values.add(v.value());
      }
    }
    return values;
  }

  private static void checkTypes(Cond part, String type) {
    if (type == null) {
      return;
    }
    for (AttributeValue value : valuesOf(part)) {
      if (!value.type().equals(type)) {
        throw invalid("One or more parameter values were invalid: Condition parameter type "
            + "does not match schema type");
      }
    }
  }

  private static RangeCondition rangeCondition(String name, Cond part) {
    if (part instanceof Between b) {
      return new RangeCondition(name, Operator.BETWEEN, ((ValueRef) b.lower()).value(),
          ((ValueRef) b.upper()).value());
    }
    if (part instanceof Ast.Function f) {
      return new RangeCondition(name, Operator.BEGINS_WITH, ((ValueRef) f.args().get(1)).value(),
          null);
    }
    Compare c = (Compare) part;
    boolean keyOnLeft = c.left() instanceof PathRef;
    Comparator op = keyOnLeft ? c.op() : c.op().flipped();
    AttributeValue value = ((ValueRef) (keyOnLeft ? c.right() : c.left())).value();
    Operator operator = switch (op) {
      case EQ -> Operator.EQ;
      case LT -> Operator.LT;
      case LE -> Operator.LE;
      case GT -> Operator.GT;
      case GE -> Operator.GE;
      case NE -> throw new IllegalStateException();
    };
    return new RangeCondition(name, operator, value, null);
  }

  public Schema schema() {
    return schema;
  }

  /** The partition key value the Query reads. */
  public AttributeValue hashValue() {
    return hashValue;
  }

  /** The sort key condition, if there is one. */
  public Optional<RangeCondition> range() {
    return Optional.ofNullable(range);
  }

  /** Whether an item's key satisfies the whole condition. */
  public boolean matches(Item item) {
    if (item == null || !Values.equal(item.get(schema.hashName()), hashValue)) {
      return false;
    }
    return range == null || range.test(item.get(range.attributeName()));
  }
}
