package fabric.dynamo.expr;

import static fabric.dynamo.expr.V.b;
import static fabric.dynamo.expr.V.ctx;
import static fabric.dynamo.expr.V.item;
import static fabric.dynamo.expr.V.n;
import static fabric.dynamo.expr.V.s;
import static fabric.dynamo.expr.V.validation;
import static org.assertj.core.api.Assertions.assertThat;

import fabric.dynamo.expr.KeyCondition.Bound;
import fabric.dynamo.expr.KeyCondition.Operator;
import fabric.dynamo.expr.KeyCondition.RangeCondition;
import fabric.dynamo.expr.KeyCondition.Schema;
import java.util.List;
import org.junit.jupiter.api.Test;

/** KeyConditionExpression: what a Query reads, and DynamoDB's refusals. */
class KeyConditionTest {
  private static final Schema HASH = Schema.hash("pk", "S");
  private static final Schema RANGE = HASH.withRange("sk", "N");

  private static KeyCondition parse(Schema schema, String expression, Object... placeholders) {
    ExpressionContext context = ctx(placeholders);
    KeyCondition condition = KeyCondition.parse(expression, context, schema);
    context.checkAllUsed();
    return condition;
  }

  private static void fails(Schema schema, String expression, String message,
      Object... placeholders) {
    validation(() -> KeyCondition.parse(expression, ctx(placeholders), schema), message);
  }

  @Test
  void thePartitionKeyAlone() {
    KeyCondition c = parse(HASH, "pk = :p", ":p", s("a"));
    assertThat(c.hashValue()).isEqualTo(s("a"));
    assertThat(c.range()).isEmpty();
    assertThat(parse(RANGE, ":p = #k", "#k", "pk", ":p", s("a")).hashValue()).isEqualTo(s("a"));
    assertThat(c.matches(item("pk", s("a"), "x", n(1)))).isTrue();
    assertThat(c.matches(item("pk", s("b")))).isFalse();
    assertThat(c.matches(null)).isFalse();
  }

  @Test
  void eachSortKeyCondition() {
    record Case(String expression, Operator operator, Bound lower, Bound upper,
        List<Long> matching) {}
    Object[] v = {":p", s("a"), ":v", n(5), ":w", n(7)};
    List<Case> cases = List.of(
        new Case("pk = :p AND sk = :v", Operator.EQ, new Bound(n(5), true),
            new Bound(n(5), true), List.of(5L)),
        new Case("pk = :p AND sk < :v", Operator.LT, null, new Bound(n(5), false),
            List.of(3L, 4L)),
        new Case("pk = :p AND sk <= :v", Operator.LE, null, new Bound(n(5), true),
            List.of(3L, 4L, 5L)),
        new Case("pk = :p AND sk > :v", Operator.GT, new Bound(n(5), false), null,
            List.of(6L, 7L, 8L)),
        new Case("pk = :p AND sk >= :v", Operator.GE, new Bound(n(5), true), null,
            List.of(5L, 6L, 7L, 8L)),
        new Case(":v > sk AND :p = pk", Operator.LT, null, new Bound(n(5), false),
            List.of(3L, 4L)),
        new Case("pk = :p AND :v <= sk", Operator.GE, new Bound(n(5), true), null,
            List.of(5L, 6L, 7L, 8L)),
        new Case("pk = :p AND sk BETWEEN :v AND :w", Operator.BETWEEN, new Bound(n(5), true),
            new Bound(n(7), true), List.of(5L, 6L, 7L)),
        new Case("(pk = :p) and (sk between :v and :w)", Operator.BETWEEN,
            new Bound(n(5), true), new Bound(n(7), true), List.of(5L, 6L, 7L)));
    for (Case c : cases) {
      Object[] used = c.operator() == Operator.BETWEEN ? v : new Object[] {":p", s("a"), ":v",
          n(5)};
      KeyCondition k = parse(RANGE, c.expression(), used);
      RangeCondition range = k.range().orElseThrow();
      assertThat(range.attributeName()).isEqualTo("sk");
      assertThat(range.operator()).as(c.expression()).isEqualTo(c.operator());
      assertThat(range.lowerBound()).as(c.expression()).isEqualTo(c.lower());
      assertThat(range.upperBound()).as(c.expression()).isEqualTo(c.upper());
      for (long key = 3; key <= 8; key++) {
        assertThat(range.test(n(key))).as(c.expression() + " on " + key)
            .isEqualTo(c.matching().contains(key));
        assertThat(k.matches(item("pk", s("a"), "sk", n(key))))
            .isEqualTo(c.matching().contains(key));
      }
      assertThat(range.test(null)).isFalse();
    }
  }

  @Test
  void beginsWithOnStringAndBinarySortKeys() {
    Schema strings = HASH.withRange("sk", "S");
    RangeCondition range = parse(strings, "pk = :p AND begins_with(sk, :pre)", ":p", s("a"),
        ":pre", s("2024-")).range().orElseThrow();
    assertThat(range.operator()).isEqualTo(Operator.BEGINS_WITH);
    assertThat(range.lowerBound()).isEqualTo(new Bound(s("2024-"), true));
    assertThat(range.upperBound()).isNull();
    assertThat(range.test(s("2024-05"))).isTrue();
    assertThat(range.test(s("2025-01"))).isFalse();
    RangeCondition binary = parse(HASH.withRange("sk", "B"), "pk = :p AND begins_with(sk, :pre)",
        ":p", s("a"), ":pre", b(1)).range().orElseThrow();
    assertThat(binary.test(b(1, 2))).isTrue();
    assertThat(binary.test(b(2, 1))).isFalse();
  }

  @Test
  void typesAreCheckedOnlyWhenGiven() {
    Schema untyped = new Schema("pk", null, "sk", null);
    assertThat(parse(untyped, "pk = :p AND sk = :v", ":p", n(1), ":v", s("x")).hashValue())
        .isEqualTo(n(1));
    String mismatch = "One or more parameter values were invalid: Condition parameter type does "
        + "not match schema type";
    fails(RANGE, "pk = :p", mismatch, ":p", n(1));
    fails(RANGE, "pk = :p AND sk > :v", mismatch, ":p", s("a"), ":v", s("5"));
    fails(RANGE, "pk = :p AND sk BETWEEN :v AND :w", mismatch, ":p", s("a"), ":v", s("1"),
        ":w", s("2"));
  }

  @Test
  void keySchemaErrors() {
    Object[] v = {":p", s("a"), ":v", n(1)};
    fails(RANGE, "sk = :v", "Query condition missed key schema element: pk", v);
    fails(RANGE, "z = :p", "Query condition missed key schema element: pk", ":p", s("a"));
    fails(RANGE, "pk = :p AND z = :v", "Query condition missed key schema element: sk", v);
    fails(HASH, "pk = :p AND sk = :v", "Query key condition not supported", v);
    fails(HASH, "pk < :p", "Query key condition not supported", ":p", s("a"));
    fails(RANGE, "pk > :p AND sk = :v", "Query key condition not supported", v);
    fails(HASH, "begins_with(pk, :p)", "Query key condition not supported", ":p", s("a"));
    fails(HASH, "pk BETWEEN :p AND :p", "Query key condition not supported", ":p", s("a"));
  }

  @Test
  void onlyAndOfSimpleKeyConditions() {
    Object[] v = {":p", s("a"), ":v", n(1)};
    for (String[] c : new String[][] {
        {"pk = :p OR sk = :v", "OR"},
        {"pk = :p AND NOT sk = :v", "NOT"},
        {"pk = :p AND sk IN (:v)", "IN"},
        {"pk = :p AND sk <> :v", "<>"},
        {"pk = :p AND attribute_exists(sk)", "attribute_exists"},
        {"attribute_not_exists(pk)", "attribute_not_exists"},
        {"pk = :p AND contains(sk, :v)", "contains"},
        {"a > :v and size(b) > :v or a > :v", "OR"}}) {
      validation(() -> KeyCondition.parse(c[0], ctx(v), RANGE),
          "Invalid operator used in KeyConditionExpression: " + c[1]);
    }
    fails(RANGE, "pk = :p AND sk > :v AND sk < :v",
        "KeyConditionExpressions must only contain one condition per key", v);
    fails(RANGE, "(pk = :p AND sk > :v) AND (sk < :v AND c > :v)",
        "KeyConditionExpressions must only contain one condition per key", v);
    fails(RANGE, ":p = pk AND sk = :v AND :v = c", "Conditions can be of length 1 or 2 only", v);
    fails(RANGE, "pk = size(sk)", "KeyConditionExpressions cannot contain nested operations");
    fails(RANGE, "pk = :p AND sk BETWEEN size(a) AND :v",
        "KeyConditionExpressions cannot contain nested operations", v);
    fails(RANGE, "pk.x = :p", "KeyConditionExpressions cannot have conditions on nested "
        + "attributes", ":p", s("a"));
    fails(RANGE, "pk[0] = :p", "KeyConditionExpressions cannot have conditions on nested "
        + "attributes", ":p", s("a"));
    fails(RANGE, "pk = sk", "Invalid condition in KeyConditionExpression: Multiple attribute "
        + "names used in one condition");
    fails(RANGE, "pk = a.b", "Invalid condition in KeyConditionExpression: Multiple attribute "
        + "names used in one condition");
    fails(RANGE, "begins_with(pk, sk)", "Invalid condition in KeyConditionExpression: Multiple "
        + "attribute names used in one condition");
    fails(RANGE, ":p = :v", "Invalid condition in KeyConditionExpression: No key attribute "
        + "specified", v);
    fails(RANGE, ":v BETWEEN sk AND :v", "Invalid condition in KeyConditionExpression: "
        + "BETWEEN operator must have the key attribute as its first operand", ":v", n(1));
    fails(RANGE, "pk = :p AND begins_with(:v, sk)", "Invalid condition in "
        + "KeyConditionExpression: begins_with operator must have the key attribute as its "
        + "first operand", ":p", s("a"), ":v", s("x"));
  }

  @Test
  void theConditionLanguagesStaticErrorsNameKeyConditionExpression() {
    fails(RANGE, "", "Invalid KeyConditionExpression: The expression can not be empty;");
    fails(RANGE, "pk == :p", "Invalid KeyConditionExpression: Syntax error; token: \"=\", near: "
        + "\"== :p\"", ":p", s("a"));
    fails(RANGE, "pk = :p AND sk BETWEEN :w AND :v", "Invalid KeyConditionExpression: The "
        + "BETWEEN operator requires upper bound to be greater than or equal to lower bound; "
        + "lower bound operand: AttributeValue: {N:7}, upper bound operand: AttributeValue: "
        + "{N:5}", ":p", s("a"), ":v", n(5), ":w", n(7));
    fails(RANGE, "pk = :p AND begins_with(sk, :v)", "Invalid KeyConditionExpression: Incorrect "
        + "operand type for operator or function; operator or function: begins_with, operand "
        + "type: N", ":p", s("a"), ":v", n(5));
    fails(RANGE, "pk = :undefined", "Invalid KeyConditionExpression: An expression attribute "
        + "value used in expression is not defined; attribute value: :undefined");
    fails(RANGE, "#k = :p", "Invalid KeyConditionExpression: An expression attribute name used "
        + "in the document path is not defined; attribute name: #k", ":p", s("a"));
    fails(Schema.hash("status", "S"), "status = :p", "Invalid KeyConditionExpression: Attribute "
        + "name is a reserved keyword; reserved keyword: status", ":p", s("a"));
  }
}
