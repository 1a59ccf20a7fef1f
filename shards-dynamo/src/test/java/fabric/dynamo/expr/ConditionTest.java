package fabric.dynamo.expr;

import static fabric.dynamo.expr.V.b;
import static fabric.dynamo.expr.V.bool;
import static fabric.dynamo.expr.V.bs;
import static fabric.dynamo.expr.V.bytes;
import static fabric.dynamo.expr.V.ctx;
import static fabric.dynamo.expr.V.item;
import static fabric.dynamo.expr.V.l;
import static fabric.dynamo.expr.V.m;
import static fabric.dynamo.expr.V.n;
import static fabric.dynamo.expr.V.ns;
import static fabric.dynamo.expr.V.nul;
import static fabric.dynamo.expr.V.s;
import static fabric.dynamo.expr.V.ss;
import static fabric.dynamo.expr.V.validation;
import static org.assertj.core.api.Assertions.assertThat;

import fabric.dynamo.model.AttributeValue;
import fabric.dynamo.model.Item;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** ConditionExpression and FilterExpression: DynamoDB's evaluation and its static errors. */
class ConditionTest {

  private static boolean test(String expression, Item item, Object... placeholders) {
    ExpressionContext context = ctx(placeholders);
    boolean result = Condition.parse(expression, context).test(item);
    context.checkAllUsed();
    return result;
  }

  private static void invalid(String expression, String message, Object... placeholders) {
    validation(() -> Condition.parse(expression, ctx(placeholders)),
        "Invalid ConditionExpression: " + message);
  }

  @Nested
  class Comparisons {
    /** Left, right (null: missing), then =, <>, <, <=, >, >=. */
    static Stream<Arguments> table() {
      return Stream.of(
          Arguments.of("S less", s("a"), s("b"), "FTTTFF"),
          Arguments.of("S greater", s("b"), s("a"), "FTFFTT"),
          Arguments.of("S equal", s("a"), s("a"), "TFFTFT"),
          Arguments.of("S prefix is less", s("ab"), s("abc"), "FTTTFF"),
          Arguments.of("S by UTF-8 bytes: é (C3 A9) after z", s("é"), s("z"), "FTFFTT"),
          Arguments.of("S by UTF-8 bytes, not UTF-16: U+FFFF before U+1F600", s("\uFFFF"),
              s("\uD83D\uDE00"), "FTTTFF"),
          Arguments.of("N numeric, not textual", n(10), n(9), "FTFFTT"),
          Arguments.of("N 1.0 = 1", n("1.0"), n("1"), "TFFTFT"),
          Arguments.of("N negative", n(-5), n(3), "FTTTFF"),
          Arguments.of("N exponent", n("1E+2"), n("100"), "TFFTFT"),
          Arguments.of("B unsigned bytes", b(0x01), b(0xff), "FTTTFF"),
          Arguments.of("B equal", b(1, 2), b(1, 2), "TFFTFT"),
          Arguments.of("S against N: different types", s("1"), n(1), "FTFFFF"),
          Arguments.of("N against B", n(1), b(1), "FTFFFF"),
          Arguments.of("missing left", null, s("a"), "FTFFFF"),
          Arguments.of("missing both", null, null, "FTFFFF"),
          Arguments.of("SS as sets", ss("a", "b"), ss("b", "a"), "TFFFFF"),
          Arguments.of("SS different", ss("a"), ss("a", "b"), "FTFFFF"),
          Arguments.of("NS by value", ns("1.0", "2"), ns("2", "1"), "TFFFFF"),
          Arguments.of("BS", bs(bytes(1)), bs(bytes(1)), "TFFFFF"),
          Arguments.of("L in order", l(n(1), n(2)), l(n(1), n(2)), "TFFFFF"),
          Arguments.of("L order matters", l(n(1), n(2)), l(n(2), n(1)), "FTFFFF"),
          Arguments.of("M by content", m("a", n(1), "b", s("x")), m("b", s("x"), "a", n(1)),
              "TFFFFF"),
          Arguments.of("BOOL", bool(true), bool(true), "TFFFFF"),
          Arguments.of("BOOL different", bool(true), bool(false), "FTFFFF"),
          Arguments.of("NULL", nul(), nul(), "TFFFFF"),
          Arguments.of("NULL against BOOL", nul(), bool(false), "FTFFFF"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void compareAsDynamoDbDoes(String name, AttributeValue left, AttributeValue right,
        String expected) {
      Map<String, AttributeValue> attributes = new LinkedHashMap<>();
      if (left != null) {
        attributes.put("x", left);
      }
      if (right != null) {
        attributes.put("y", right);
      }
      Item item = new Item(attributes);
      String[] ops = {"=", "<>", "<", "<=", ">", ">="};
      StringBuilder actual = new StringBuilder();
      for (String op : ops) {
        actual.append(test("x " + op + " y", item) ? 'T' : 'F');
      }
      assertThat(actual.toString()).as("= <> < <= > >=").isEqualTo(expected);
      // The same with the right side as a value, and swapped.
      if (right != null) {
        StringBuilder withValue = new StringBuilder();
        for (String op : ops) {
          withValue.append(test("x " + op + " :v", item, ":v", right) ? 'T' : 'F');
        }
        assertThat(withValue.toString()).isEqualTo(expected);
      }
    }

    @Test
    void betweenIsInclusiveAndTyped() {
      Item item = item("n", n(5), "s", s("m"));
      Object[] v = {":lo", n(1), ":hi", n(5)};
      assertThat(test("n BETWEEN :lo AND :hi", item, v)).isTrue();
      assertThat(test("n between :lo and :lo", item, ":lo", n(5))).isTrue();
      assertThat(test("n BETWEEN :lo AND :hi", item, ":lo", n(6), ":hi", n(9))).isFalse();
      assertThat(test("s BETWEEN :lo AND :hi", item, ":lo", s("a"), ":hi", s("z"))).isTrue();
      assertThat(test("s BETWEEN :lo AND :hi", item, v)).as("S against N bounds").isFalse();
      assertThat(test("gone BETWEEN :lo AND :hi", item, v)).isFalse();
      assertThat(test("NOT gone BETWEEN :lo AND :hi", item, v)).isTrue();
    }

    @Test
    void inMatchesAnyOperand() {
      Item item = item("c", s("red"), "n", n(2));
      assertThat(test("c IN (:a, :b)", item, ":a", s("blue"), ":b", s("red"))).isTrue();
      assertThat(test("c IN (:a)", item, ":a", s("blue"))).isFalse();
      assertThat(test("n in (:a, :b)", item, ":a", s("2"), ":b", n("2.0"))).isTrue();
      assertThat(test("gone IN (:a)", item, ":a", s("red"))).isFalse();
      assertThat(test("c IN (n, :a)", item, ":a", s("x"))).isFalse();
      List<Object> hundred = new ArrayList<>();
      StringBuilder list = new StringBuilder();
      for (int i = 0; i < 100; i++) {
        hundred.add(":v" + i);
        hundred.add(n(i));
        list.append(i == 0 ? "" : ", ").append(":v").append(i);
      }
      assertThat(test("n IN (" + list + ")", item, hundred.toArray())).isTrue();
    }
  }

  @Nested
  class Functions {
    private final Item item = item(
        "s", s("hello"),
        "u", s("é𝄞"),
        "n", n(12),
        "bin", b(1, 2, 3),
        "ss", ss("a", "b"),
        "ns", ns("1", "2", "3"),
        "bs", bs(bytes(1), bytes(2)),
        "lst", l(s("a"), n(1), m("k", s("v"))),
        "mp", m("x", n(1), "y", n(2)),
        "t", bool(true),
        "z", nul());

    @Test
    void attributeExistsAndNotExists() {
      assertThat(test("attribute_exists(s)", item)).isTrue();
      assertThat(test("attribute_exists(z)", item)).as("a NULL value exists").isTrue();
      assertThat(test("attribute_exists(gone)", item)).isFalse();
      assertThat(test("attribute_not_exists(gone)", item)).isTrue();
      assertThat(test("attribute_not_exists(s)", item)).isFalse();
      assertThat(test("attribute_exists(mp.x)", item)).isTrue();
      assertThat(test("attribute_exists(mp.w)", item)).isFalse();
      assertThat(test("attribute_exists(lst[2].k)", item)).isTrue();
      assertThat(test("attribute_exists(lst[3])", item)).isFalse();
      assertThat(test("attribute_exists(s.x)", item)).as("a path through a string").isFalse();
      assertThat(test("attribute_not_exists(#a)", null, "#a", "anything")).isTrue();
    }

    @Test
    void attributeTypeMatchesEachType() {
      Map<String, String> types = Map.ofEntries(Map.entry("s", "S"), Map.entry("n", "N"),
          Map.entry("bin", "B"), Map.entry("ss", "SS"), Map.entry("ns", "NS"),
          Map.entry("bs", "BS"), Map.entry("lst", "L"), Map.entry("mp", "M"),
          Map.entry("t", "BOOL"), Map.entry("z", "NULL"));
      types.forEach((attribute, type) -> {
        assertThat(test("attribute_type(" + attribute + ", :t)", item, ":t", s(type)))
            .as(attribute).isTrue();
        String other = type.equals("S") ? "N" : "S";
        assertThat(test("attribute_type(" + attribute + ", :t)", item, ":t", s(other)))
            .as(attribute + " is not " + other).isFalse();
      });
      assertThat(test("attribute_type(gone, :t)", item, ":t", s("S"))).isFalse();
    }

    @Test
    void beginsWithStringsAndBinaries() {
      assertThat(test("begins_with(s, :p)", item, ":p", s("he"))).isTrue();
      assertThat(test("begins_with(s, :p)", item, ":p", s("hello"))).isTrue();
      assertThat(test("begins_with(s, :p)", item, ":p", s("el"))).isFalse();
      assertThat(test("begins_with(bin, :p)", item, ":p", b(1, 2))).isTrue();
      assertThat(test("begins_with(bin, :p)", item, ":p", b(2))).isFalse();
      assertThat(test("begins_with(s, :p)", item, ":p", b(1))).as("mixed types").isFalse();
      assertThat(test("begins_with(n, :p)", item, ":p", s("1"))).as("a number").isFalse();
      assertThat(test("begins_with(gone, :p)", item, ":p", s("h"))).isFalse();
      assertThat(test("begins_with(lst[2].k, :p)", item, ":p", s("v"))).isTrue();
    }

    @Test
    void containsSubstringsMembersAndElements() {
      assertThat(test("contains(s, :v)", item, ":v", s("ell"))).isTrue();
      assertThat(test("contains(s, :v)", item, ":v", s("xyz"))).isFalse();
      assertThat(test("contains(ss, :v)", item, ":v", s("a"))).isTrue();
      assertThat(test("contains(ss, :v)", item, ":v", s("c"))).isFalse();
      assertThat(test("contains(ns, :v)", item, ":v", n("2.0"))).isTrue();
      assertThat(test("contains(ns, :v)", item, ":v", s("2"))).as("wrong element type")
          .isFalse();
      assertThat(test("contains(bs, :v)", item, ":v", b(2))).isTrue();
      assertThat(test("contains(bin, :v)", item, ":v", b(2, 3))).isTrue();
      assertThat(test("contains(lst, :v)", item, ":v", n(1))).isTrue();
      assertThat(test("contains(lst, :v)", item, ":v", m("k", s("v")))).isTrue();
      assertThat(test("contains(lst, :v)", item, ":v", s("b"))).isFalse();
      assertThat(test("contains(mp, :v)", item, ":v", s("x"))).as("not for maps").isFalse();
      assertThat(test("contains(n, :v)", item, ":v", n(1))).isFalse();
      assertThat(test("contains(gone, :v)", item, ":v", s("a"))).isFalse();
    }

    @Test
    void sizeCountsAsDynamoDbDoes() {
      Object[] v = {":v", n(0)};
      record Size(String attribute, int size) {}
      for (Size expected : List.of(new Size("s", 5), new Size("u", 3), new Size("bin", 3),
          new Size("ss", 2), new Size("ns", 3), new Size("bs", 2), new Size("lst", 3),
          new Size("mp", 2))) {
        assertThat(test("size(" + expected.attribute() + ") = :v", item,
            ":v", n(expected.size()))).as(expected.attribute()).isTrue();
      }
      // No size for numbers, booleans, nulls or missing attributes: comparisons are false.
      for (String attribute : List.of("n", "t", "z", "gone")) {
        assertThat(test("size(" + attribute + ") >= :v", item, v)).as(attribute).isFalse();
        assertThat(test("size(" + attribute + ") <> :v", item, v)).as(attribute).isTrue();
      }
      assertThat(test("size(s) > size(ss)", item)).isTrue();
      assertThat(test("size(lst[2]) = :one", item, ":one", n(1))).isTrue();
      assertThat(test("size(s) BETWEEN :a AND :b", item, ":a", n(1), ":b", n(5))).isTrue();
      assertThat(test("size(s) IN (:a, :b)", item, ":a", n(1), ":b", n(5))).isTrue();
    }
  }

  @Nested
  class LogicAndPaths {
    private final Item item = item("a", bool(true), "b", bool(false), "c", bool(false));

    @Test
    void andBindsTighterThanOrAndNotTighterThanAnd() {
      Object[] v = {":t", bool(true)};
      // a OR (b AND c)
      assertThat(test("a = :t OR b = :t AND c = :t", item, v)).isTrue();
      assertThat(test("(a = :t OR b = :t) AND c = :t", item, v)).isFalse();
      // (NOT b) AND a
      assertThat(test("NOT b = :t AND a = :t", item, v)).isTrue();
      assertThat(test("NOT (a = :t AND b = :t)", item, v)).isTrue();
      assertThat(test("not a = :t or a = :t", item, v)).isTrue();
      assertThat(test("NOT NOT a = :t", item, v)).isTrue();
      assertThat(test("a = :t and b = :t or c = :t", item, v)).isFalse();
      assertThat(Condition.parse("a = :t OR b = :t AND NOT c = :t", ctx(v)).toString())
          .isEqualTo("a = :t OR b = :t AND NOT c = :t");
      assertThat(Condition.parse("(a = :t OR b = :t) AND c = :t", ctx(v)).toString())
          .isEqualTo("(a = :t OR b = :t) AND c = :t");
    }

    @Test
    void betweenBindsItsAndBeforeTheConditionsAnd() {
      Item item = item("a", n(5), "b", n(1));
      Object[] v = {":x", n(1), ":y", n(9)};
      assertThat(test("a BETWEEN :x AND :y AND b = :x", item, v)).isTrue();
      assertThat(test("b = :y OR a BETWEEN :x AND :y AND b = :x", item, v)).isTrue();
      assertThat(test("NOT a BETWEEN :x AND :y OR b = :y", item, v)).isFalse();
      assertThat(Condition.parse("a BETWEEN :x AND :y AND b IN (:x, :y)", ctx(v)).toString())
          .isEqualTo("a BETWEEN :x AND :y AND b IN (:x, :y)");
    }

    @Test
    void keywordsAreCaseInsensitiveAndSpacingIsFree() {
      Item numbers = item("n", n(5));
      assertThat(test("n BeTwEeN :lo aNd :hi", numbers, ":lo", n(1), ":hi", n(9))).isTrue();
      assertThat(test("(n)IN(:x,:lo)", numbers, ":x", n(5), ":lo", n(1))).isTrue();
      assertThat(test("\tn\n=\r:x", numbers, ":x", n(5))).isTrue();
    }

    @Test
    void nestedPathsAndPlaceholders() {
      Item doc = item("a", m("b", l(n(0), m("c", s("deep")))), "dotted.name", s("x"),
          "status", s("ok"));
      assertThat(test("a.b[1].c = :v", doc, ":v", s("deep"))).isTrue();
      assertThat(test("a . b [ 1 ] . c = :v", doc, ":v", s("deep"))).isTrue();
      assertThat(test("#a.#b[1].#c = :v", doc, "#a", "a", "#b", "b", "#c", "c", ":v", s("deep")))
          .isTrue();
      assertThat(test("#d = :v", doc, "#d", "dotted.name", ":v", s("x")))
          .as("a placeholder names one attribute, dots and all").isTrue();
      assertThat(test("#s = :v", doc, "#s", "status", ":v", s("ok"))).isTrue();
      assertThat(test("a.b[5] = :v", doc, ":v", s("deep"))).isFalse();
      assertThat(test("a.b.c = :v", doc, ":v", s("deep"))).as("key on a list").isFalse();
      assertThat(test("a[0] = :v", doc, ":v", s("deep"))).as("index on a map").isFalse();
    }

    @Test
    void aMissingItemHasNoAttributes() {
      assertThat(test("attribute_not_exists(pk)", null)).isTrue();
      assertThat(test("pk = :v", null, ":v", s("x"))).isFalse();
      assertThat(test("pk <> :v", null, ":v", s("x"))).isTrue();
    }

    @Test
    void attributeNamesListsTheTopLevelAttributesRead() {
      Condition c = Condition.parse("a.b = :v AND (size(c[0]) > :v OR contains(#d, :v))",
          ctx("#d", "d", ":v", n(1)));
      assertThat(c.attributeNames()).containsExactly("a", "c", "d");
    }
  }

  @Nested
  class Errors {
    @Test
    void emptyAndTooLong() {
      invalid("", "The expression can not be empty;");
      String name = "a".repeat(4096 - 5);
      assertThat(test(name + " = :v", null, ":v", n(1))).isFalse(); // exactly 4096 bytes
      invalid(name + "  = :v", "Expression size has exceeded the maximum allowed size; "
          + "expression size: 4097", ":v", n(1));
      // Counted in UTF-8 bytes: é is 2.
      invalid("#n = :v" + " ".repeat(4090) + "é", "Expression size has exceeded the maximum "
          + "allowed size; expression size: 4099", "#n", "n", ":v", n(1));
    }

    @Test
    void syntaxErrorsNameTheTokenAndWhatIsAround() {
      invalid("a x b", "Syntax error; token: \"x\", near: \"a x b\"");
      invalid("a = ", "Syntax error; token: \"<EOF>\", near: \"=\"", ":v", n(1));
      invalid("a = :v AND", "Syntax error; token: \"<EOF>\", near: \"AND\"", ":v", n(1));
      invalid("a == :v", "Syntax error; token: \"=\", near: \"== :v\"", ":v", n(1));
      invalid("a = \"x\"", "Syntax error; token: \"\"\", near: \"= \"x\"");
      invalid("a = : v", "Syntax error; token: \":\", near: \"= : v\"");
      invalid("a = 1", "Syntax error; token: \"1\", near: \"= 1\"");
      invalid("a IN ()", "Syntax error; token: \")\", near: \"()\"");
      invalid("(a = :v", "Syntax error; token: \"<EOF>\", near: \":v\"", ":v", n(1));
      invalid("a[x] = :v", "Syntax error; token: \"x\", near: \"[x]\"", ":v", n(1));
      invalid("between = :v", "Syntax error; token: \"between\", near: \"between =\"",
          ":v", n(1));
      invalid("# = :v", "Syntax error; token: \"#\", near: \"# =\"", ":v", n(1));
    }

    @Test
    void placeholdersMustBeDefined() {
      invalid("a = :v", "An expression attribute value used in expression is not defined; "
          + "attribute value: :v");
      invalid("#x = :v", "An expression attribute name used in the document path is not "
          + "defined; attribute name: #x", ":v", n(1));
      invalid("a.#x = :v", "An expression attribute name used in the document path is not "
          + "defined; attribute name: #x", "#y", "y", ":v", n(1));
    }

    @Test
    void reservedWordsNeedPlaceholders() {
      invalid("status = :v", "Attribute name is a reserved keyword; reserved keyword: status",
          ":v", n(1));
      invalid("a.Name = :v", "Attribute name is a reserved keyword; reserved keyword: Name",
          ":v", n(1));
      invalid("attribute_exists(SIZE)", "Attribute name is a reserved keyword; reserved "
          + "keyword: SIZE");
      assertThat(test("size(a) = :v", item("a", s("x")), ":v", n(1)))
          .as("size the function is fine").isTrue();
      assertThat(Expressions.reservedWordCount()).isEqualTo(573);
      assertThat(Expressions.isReserved("Timestamp")).isTrue();
      assertThat(Expressions.isReserved("timestamps")).isFalse();
    }

    @Test
    void functionsAreCheckedByNameCountPlaceAndType() {
      invalid("attribute_exist(a)", "Invalid function name; function: attribute_exist");
      invalid("ATTRIBUTE_EXISTS(a)", "Invalid function name; function: ATTRIBUTE_EXISTS");
      invalid("if_not_exists(a, :v) = :v", "Invalid function name; function: if_not_exists",
          ":v", n(1));
      invalid("attribute_exists(a, b)", "Incorrect number of operands for operator or "
          + "function; operator or function: attribute_exists, number of operands: 2");
      invalid("begins_with(a)", "Incorrect number of operands for operator or function; "
          + "operator or function: begins_with, number of operands: 1");
      invalid("attribute_exists(:v)", "Operator or function requires a document path; "
          + "operator or function: attribute_exists", ":v", n(1));
      invalid("attribute_not_exists(size(a))", "Operator or function requires a document path; "
          + "operator or function: attribute_not_exists");
      invalid("begins_with(a, :v)", "Incorrect operand type for operator or function; "
          + "operator or function: begins_with, operand type: N", ":v", n(1));
      invalid("begins_with(a, :v)", "Incorrect operand type for operator or function; "
          + "operator or function: begins_with, operand type: SS", ":v", ss("x"));
      invalid("attribute_type(a, :v)", "Incorrect operand type for operator or function; "
          + "operator or function: attribute_type, operand type: N", ":v", n(1));
      invalid("attribute_type(a, :v)", "Invalid attribute type name found; type: STRING, "
          + "valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}", ":v", s("STRING"));
      invalid("attribute_type(a, b)", "Incorrect operand type for operator or function; "
          + "operator or function: attribute_type, operand type: {NS,SS,L,BS,N,M,B,BOOL,NULL,S}");
      invalid("size(:v) > :v", "Incorrect operand type for operator or function; operator or "
          + "function: size, operand type: N", ":v", n(1));
      invalid("size(size(a)) > :v", "Incorrect operand type for operator or function; operator "
          + "or function: size, operand type: N", ":v", n(1));
    }

    @Test
    void onlySizeIsAnOperandAndSizeIsNoCondition() {
      invalid("size(a)", "The function is not allowed to be used this way in an expression; "
          + "function: size");
      invalid("a = :v AND size(a)", "The function is not allowed to be used this way in an "
          + "expression; function: size", ":v", n(1));
      invalid("NOT size(a)", "The function is not allowed to be used this way in an "
          + "expression; function: size");
      invalid("attribute_exists(a) = :v", "The function is not allowed to be used this way in "
          + "an expression; function: attribute_exists", ":v", bool(true));
      invalid("a IN (:v, contains(a, :v))", "The function is not allowed to be used this way "
          + "in an expression; function: contains", ":v", n(1));
      invalid("begins_with(attribute_type(a, :v), :v)", "The function is not allowed to be used "
          + "this way in an expression; function: attribute_type", ":v", s("S"));
    }

    @Test
    void operandsMustBeDistinct() {
      invalid("a = a", "The first operand must be distinct from the remaining operands for "
          + "this operator or function; operator: =, first operand: [a]");
      invalid("a.b[1] >= a.b[1]", "The first operand must be distinct from the remaining "
          + "operands for this operator or function; operator: >=, first operand: [a, b, [1]]");
      invalid("#x <> a", "The first operand must be distinct from the remaining operands for "
          + "this operator or function; operator: <>, first operand: [a]", "#x", "a");
      invalid("begins_with(a, a)", "The first operand must be distinct from the remaining "
          + "operands for this operator or function; operator: begins_with, first operand: [a]");
      invalid("a IN (b, a)", "The first operand must be distinct from the remaining operands "
          + "for this operator or function; operator: IN, first operand: [a]");
      assertThat(test("a = b", item("a", n(1), "b", n(1)))).isTrue();
      assertThat(test("a.b = a.c", item("a", m("b", n(1), "c", n(1))))).isTrue();
    }

    @Test
    void betweenBoundsAreCheckedWhenTheyAreValues() {
      invalid("a BETWEEN :lo AND :hi", "The BETWEEN operator requires same data type for lower "
          + "and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: "
          + "AttributeValue: {S:a}", ":lo", n(1), ":hi", s("a"));
      invalid("a BETWEEN :lo AND :hi", "The BETWEEN operator requires upper bound to be greater "
          + "than or equal to lower bound; lower bound operand: AttributeValue: {S:b}, upper "
          + "bound operand: AttributeValue: {S:a}", ":lo", s("b"), ":hi", s("a"));
      invalid("a BETWEEN :lo AND :hi", "The BETWEEN operator requires upper bound to be greater "
          + "than or equal to lower bound; lower bound operand: AttributeValue: {N:10}, upper "
          + "bound operand: AttributeValue: {N:9}", ":lo", n(10), ":hi", n(9));
    }

    @Test
    void inTakesAtMostOneHundredOperands() {
      StringBuilder list = new StringBuilder();
      for (int i = 0; i < 101; i++) {
        list.append(i == 0 ? "" : ", ").append(":v");
      }
      invalid("a IN (" + list + ")", "The IN operator is provided with too many operands; "
          + "number of operands: 101", ":v", n(1));
    }

    @Test
    void redundantParenthesesAreRefused() {
      invalid("((a = :v))", "The expression has redundant parentheses;", ":v", n(1));
      invalid("NOT ((a = :v))", "The expression has redundant parentheses;", ":v", n(1));
      invalid("((a)) = :v", "The expression has redundant parentheses;", ":v", n(1));
      assertThat(test("(a = :v)", item("a", n(1)), ":v", n(1))).isTrue();
      assertThat(test("(a) = (:v)", item("a", n(1)), ":v", n(1))).isTrue();
      assertThat(test("(a = :v) AND ((b = :v) OR c = :v)", item("a", n(1), "b", n(1)),
          ":v", n(1))).isTrue();
    }

    @Test
    void nestingIsBoundedSoThatNoInputExhaustsTheStack() {
      String deep = "(".repeat(100) + "a" + ")".repeat(100) + " = :v";
      invalid(deep, "The expression has redundant parentheses;", ":v", n(1));
      invalid("(".repeat(101) + "a = :v" + ")".repeat(101), "The expression has too many "
          + "nested parentheses; nesting levels: 101", ":v", n(1));
      invalid("(".repeat(2000) + "a = :v" + ")".repeat(2000), "The expression has too many "
          + "nested parentheses; nesting levels: 2000", ":v", n(1));
      validation(() -> Update.parse("SET a = " + "(".repeat(500) + "b" + ")".repeat(500), ctx()),
          "Invalid UpdateExpression: The expression has too many nested parentheses; nesting "
              + "levels: 500");
      assertThat(test("NOT ".repeat(1000) + "a = :v", item("a", n(1)), ":v", n(1))).isTrue();
      String chain = "a = :v" + " OR a = :v".repeat(400);
      assertThat(test(chain, item("a", n(1)), ":v", n(1))).isTrue();
    }

    @Test
    void documentPathsHaveAtMost32Levels() {
      String ok = "a" + ".b".repeat(31);
      assertThat(test("attribute_exists(" + ok + ")", null)).isFalse();
      invalid("attribute_exists(" + ok + ".c)",
          "The document path has too many nesting levels; nesting levels: 33");
    }

    @Test
    void theFirstProblemIsReportedInDynamoDbsOrder() {
      // A reserved word and an undefined value: the reserved word first.
      invalid("status = :nope", "Attribute name is a reserved keyword; reserved keyword: status");
      // An unknown function before anything else but redundant parentheses.
      invalid("status = :nope AND nope(a)", "Invalid function name; function: nope");
      invalid("((nope(a)))", "The expression has redundant parentheses;");
    }

    @Test
    void filterExpressionsSayWhoTheyAre() {
      validation(() -> Condition.parseFilter("a = ", ctx()),
          "Invalid FilterExpression: Syntax error; token: \"<EOF>\", near: \"=\"");
      validation(() -> Condition.parseFilter("", ctx()),
          "Invalid FilterExpression: The expression can not be empty;");
      ExpressionContext context = ctx(":v", n(1));
      assertThat(Condition.parseFilter("a = :v", context).test(item("a", n(1)))).isTrue();
      context.checkAllUsed();
    }
  }
}
