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
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** UpdateExpression: SET, REMOVE, ADD, DELETE as DynamoDB applies them, and its errors. */
class UpdateTest {
  private static final Set<String> KEY = Set.of("pk");

  private static Update.Result apply(Item item, String expression, Object... placeholders) {
    ExpressionContext context = ctx(placeholders);
    Update update = Update.parse(expression, context);
    context.checkAllUsed();
    return update.apply(item, KEY);
  }

  private static Item updated(Item item, String expression, Object... placeholders) {
    return apply(item, expression, placeholders).item();
  }

  private static void invalid(String expression, String message, Object... placeholders) {
    validation(() -> Update.parse(expression, ctx(placeholders)),
        "Invalid UpdateExpression: " + message);
  }

  private static void fails(Item item, String expression, String message,
      Object... placeholders) {
    validation(() -> apply(item, expression, placeholders), message);
  }

  private static final String INCORRECT_TYPE =
      "An operand in the update expression has an incorrect data type";
  private static final String INVALID_PATH =
      "The document path provided in the update expression is invalid for update";
  private static final String NO_ATTRIBUTE =
      "The provided expression refers to an attribute that does not exist in the item";

  @Nested
  class Set_ {
    @Test
    void setsValuesAndCopiesAttributes() {
      Item item = item("pk", s("k"), "a", n(1));
      assertThat(updated(item, "SET b = :v", ":v", s("x")))
          .isEqualTo(item("pk", s("k"), "a", n(1), "b", s("x")));
      assertThat(updated(item, "set a = :v", ":v", s("x")))
          .isEqualTo(item("pk", s("k"), "a", s("x")));
      assertThat(updated(item, "SET b = a, c = pk")).isEqualTo(
          item("pk", s("k"), "a", n(1), "b", n(1), "c", s("k")));
      assertThat(updated(item, "SET #s = :v", "#s", "status", ":v", bool(true)))
          .isEqualTo(item("pk", s("k"), "a", n(1), "status", bool(true)));
    }

    @Test
    void everyOperandReadsTheOldItem() {
      Item item = item("pk", s("k"), "a", n(1), "b", n(2));
      assertThat(updated(item, "SET a = b, b = a")).isEqualTo(item("pk", s("k"), "a", n(2),
          "b", n(1)));
      assertThat(updated(item, "SET a = a + :one, b = a + :one", ":one", n(1)))
          .isEqualTo(item("pk", s("k"), "a", n(2), "b", n(2)));
    }

    @Test
    void arithmeticOnNumbers() {
      Item item = item("pk", s("k"), "n", n(10));
      assertThat(updated(item, "SET n = n + :d", ":d", n("0.5")).get("n")).isEqualTo(n("10.5"));
      assertThat(updated(item, "SET n = n - :d", ":d", n(15)).get("n")).isEqualTo(n(-5));
      assertThat(updated(item, "SET m = :a + :b", ":a", n(2), ":b", n(3)).get("m"))
          .isEqualTo(n(5));
      assertThat(updated(item, "SET m = (n - :a)", ":a", n(3)).get("m")).isEqualTo(n(7));
      assertThat(updated(item, "SET m = (n) + (n)").get("m")).isEqualTo(n(20));
      fails(item("pk", s("k"), "n", n("9.9E+125")), "SET n = n + :d",
          "Number overflow. Attempting to store a number with magnitude larger than supported "
              + "range", ":d", n("1E+125"));
      fails(item("pk", s("k"), "n", n("12345678901234567890123456789012345678")),
          "SET n = n + :d", "Attempting to store more than 38 significant digits in a Number",
          ":d", n("0.1"));
      fails(item("pk", s("k"), "s", s("1")), "SET n = s + :d", INCORRECT_TYPE, ":d", n(1));
      fails(item("pk", s("k")), "SET n = n + :d", NO_ATTRIBUTE, ":d", n(1));
    }

    @Test
    void ifNotExistsKeepsWhatIsThere() {
      Item item = item("pk", s("k"), "a", n(5));
      assertThat(updated(item, "SET a = if_not_exists(a, :z)", ":z", n(0)).get("a"))
          .isEqualTo(n(5));
      assertThat(updated(item, "SET b = if_not_exists(b, :z)", ":z", n(0)).get("b"))
          .isEqualTo(n(0));
      assertThat(updated(item, "SET c = if_not_exists(c, :z) + :one", ":z", n(0), ":one", n(1))
          .get("c")).isEqualTo(n(1));
      assertThat(updated(item, "SET b = if_not_exists(b, a)").get("b")).isEqualTo(n(5));
      assertThat(updated(item, "SET b = if_not_exists(a, pk)").get("b")).isEqualTo(n(5));
    }

    @Test
    void listAppendConcatenatesLists() {
      Item item = item("pk", s("k"), "l", l(n(1), n(2)));
      assertThat(updated(item, "SET l = list_append(l, :more)", ":more", l(n(3))).get("l"))
          .isEqualTo(l(n(1), n(2), n(3)));
      assertThat(updated(item, "SET l = list_append(:front, l)", ":front", l(s("x"))).get("l"))
          .isEqualTo(l(s("x"), n(1), n(2)));
      assertThat(updated(item, "SET e = list_append(if_not_exists(e, :empty), :more)",
          ":empty", l(), ":more", l(n(9))).get("e")).isEqualTo(l(n(9)));
      fails(item("pk", s("k"), "l", s("x")), "SET l = list_append(l, :more)", INCORRECT_TYPE,
          ":more", l(n(3)));
      fails(item, "SET l = list_append(gone, :more)", NO_ATTRIBUTE, ":more", l(n(3)));
    }

    @Test
    void listIndexesReplaceOrAppendInIndexOrder() {
      Item item = item("pk", s("k"), "l", l(s("a"), s("b")));
      assertThat(updated(item, "SET l[1] = :v", ":v", s("B")).get("l")).isEqualTo(
          l(s("a"), s("B")));
      assertThat(updated(item, "SET l[10] = :v", ":v", s("c")).get("l")).isEqualTo(
          l(s("a"), s("b"), s("c")));
      assertThat(updated(item, "SET l[9] = :x, l[5] = :y, l[0] = :z", ":x", s("x"), ":y",
          s("y"), ":z", s("z")).get("l")).isEqualTo(l(s("z"), s("b"), s("y"), s("x")));
    }

    @Test
    void nestedPathsNeedTheirParents() {
      Item item = item("pk", s("k"), "m", m("x", n(1)), "l", l(m("y", n(2))), "s", s("str"));
      assertThat(updated(item, "SET m.z = :v", ":v", n(3)).get("m"))
          .isEqualTo(m("x", n(1), "z", n(3)));
      assertThat(updated(item, "SET l[0].y = :v", ":v", n(3)).get("l")).isEqualTo(
          l(m("y", n(3))));
      assertThat(updated(item, "SET m.#dot = :v", "#dot", "a.b", ":v", n(3)).get("m"))
          .isEqualTo(m("x", n(1), "a.b", n(3)));
      fails(item, "SET gone.z = :v", INVALID_PATH, ":v", n(1));
      fails(item, "SET gone[0] = :v", INVALID_PATH, ":v", n(1));
      fails(item, "SET m.x.y = :v", INVALID_PATH, ":v", n(1));
      fails(item, "SET m[0] = :v", INVALID_PATH, ":v", n(1));
      fails(item, "SET l.y = :v", INVALID_PATH, ":v", n(1));
      fails(item, "SET l[3].y = :v", INVALID_PATH, ":v", n(1));
      fails(item, "SET s.y = :v", INVALID_PATH, ":v", n(1));
      fails(null, "SET m.z = :v", INVALID_PATH, ":v", n(1));
    }

    @Test
    void operandsMustExist() {
      Item item = item("pk", s("k"), "m", m("x", n(1)));
      fails(item, "SET c = b", NO_ATTRIBUTE);
      fails(item, "SET c = m.y", NO_ATTRIBUTE);
      fails(item, "SET c = m[0]", NO_ATTRIBUTE);
    }
  }

  @Nested
  class Remove {
    @Test
    void removesAttributesAndNestedParts() {
      Item item = item("pk", s("k"), "a", n(1), "m", m("x", n(1), "y", n(2)));
      assertThat(updated(item, "REMOVE a")).isEqualTo(item("pk", s("k"),
          "m", m("x", n(1), "y", n(2))));
      assertThat(updated(item, "REMOVE m.x, a")).isEqualTo(item("pk", s("k"),
          "m", m("y", n(2))));
      assertThat(updated(item, "remove gone, m.gone")).as("removing nothing").isEqualTo(item);
    }

    @Test
    void listIndexesAreTheOldPositionsAndTheRestShifts() {
      Item item = item("pk", s("k"), "l", l(s("a"), s("b"), s("c"), s("d")));
      assertThat(updated(item, "REMOVE l[0]").get("l")).isEqualTo(l(s("b"), s("c"), s("d")));
      assertThat(updated(item, "REMOVE l[0], l[2]").get("l")).isEqualTo(l(s("b"), s("d")));
      assertThat(updated(item, "REMOVE l[2], l[0]").get("l")).isEqualTo(l(s("b"), s("d")));
      assertThat(updated(item, "REMOVE l[9]").get("l")).as("past the end: nothing")
          .isEqualTo(item.get("l"));
      assertThat(updated(item, "REMOVE l[1] SET l[2] = :v", ":v", s("C")).get("l"))
          .isEqualTo(l(s("a"), s("C"), s("d")));
      assertThat(updated(item, "REMOVE l[0], l[1], l[2], l[3]").get("l")).isEqualTo(l());
    }

    @Test
    void aPathThroughNothingIsRefused() {
      Item item = item("pk", s("k"), "m", m("x", n(1)), "l", l(n(1)), "s", s("x"));
      fails(item, "REMOVE gone.a", INVALID_PATH);
      fails(item, "REMOVE gone[1]", INVALID_PATH);
      fails(item, "REMOVE m[1]", INVALID_PATH);
      fails(item, "REMOVE l.x", INVALID_PATH);
      fails(item, "REMOVE s.x", INVALID_PATH);
      fails(item, "REMOVE l[4].x", INVALID_PATH);
    }
  }

  @Nested
  class AddAndDelete {
    @Test
    void addSumsNumbersAndCreatesMissingOnes() {
      Item item = item("pk", s("k"), "n", n(5), "m", m("c", n(1)));
      assertThat(updated(item, "ADD n :d", ":d", n(3)).get("n")).isEqualTo(n(8));
      assertThat(updated(item, "ADD n :d", ":d", n(-7)).get("n")).isEqualTo(n(-2));
      assertThat(updated(item, "ADD fresh :d", ":d", n(3)).get("fresh")).isEqualTo(n(3));
      assertThat(updated(item, "ADD m.c :d, m.e :d", ":d", n(1)).get("m"))
          .isEqualTo(m("c", n(2), "e", n(1)));
      assertThat(updated(null, "ADD fresh :d", ":d", n(3))).isEqualTo(item("fresh", n(3)));
      fails(item, "ADD gone.c :d", INVALID_PATH, ":d", n(1));
    }

    @Test
    void addUnitesSets() {
      Item item = item("pk", s("k"), "ss", ss("a", "b"), "ns", ns("1"), "bs", bs(bytes(1)));
      assertThat(updated(item, "ADD ss :v", ":v", ss("b", "c")).get("ss"))
          .isEqualTo(ss("a", "b", "c"));
      assertThat(updated(item, "ADD ns :v", ":v", ns("1.0", "2")).get("ns"))
          .isEqualTo(ns("1", "2"));
      assertThat(updated(item, "ADD bs :v", ":v", bs(bytes(2))).get("bs"))
          .isEqualTo(bs(bytes(1), bytes(2)));
      assertThat(updated(item, "ADD fresh :v", ":v", ss("x")).get("fresh")).isEqualTo(ss("x"));
    }

    @Test
    void addRefusesMismatchedTypes() {
      Item item = item("pk", s("k"), "s", s("x"), "ss", ss("a"), "ns", ns("1"), "n", n(1),
          "l", l(n(1)));
      fails(item, "ADD s :v", INCORRECT_TYPE, ":v", n(1));
      fails(item, "ADD ss :v", INCORRECT_TYPE, ":v", ns("1"));
      fails(item, "ADD ns :v", INCORRECT_TYPE, ":v", n(1));
      fails(item, "ADD n :v", INCORRECT_TYPE, ":v", ns("1"));
      fails(item, "ADD l :v", INCORRECT_TYPE, ":v", n(1));
    }

    @Test
    void addToAListIndexPastTheEndAppends() {
      Item item = item("pk", s("k"), "l", l(n(1)));
      assertThat(updated(item, "ADD l[0] :v", ":v", n(1)).get("l")).isEqualTo(l(n(2)));
      assertThat(updated(item, "ADD l[5] :v", ":v", ss("x")).get("l"))
          .isEqualTo(l(n(1), ss("x")));
    }

    @Test
    void deleteTakesFromSetsAndRemovesAnEmptiedOne() {
      Item item = item("pk", s("k"), "ss", ss("a", "b"), "ns", ns("1", "2", "3"),
          "bs", bs(bytes(1), bytes(2)), "m", m("tags", ss("x", "y")));
      assertThat(updated(item, "DELETE ss :v", ":v", ss("a", "z")).get("ss")).isEqualTo(ss("b"));
      assertThat(updated(item, "DELETE ns :v", ":v", ns("1.0", "4")).get("ns"))
          .isEqualTo(ns("2", "3"));
      assertThat(updated(item, "DELETE bs :v", ":v", bs(bytes(1))).get("bs"))
          .isEqualTo(bs(bytes(2)));
      Item emptied = updated(item, "DELETE ss :v", ":v", ss("a", "b"));
      assertThat(emptied.attributes()).doesNotContainKey("ss");
      assertThat(updated(item, "DELETE m.tags :v", ":v", ss("x", "y")).get("m")).isEqualTo(m());
      assertThat(updated(item, "DELETE gone :v", ":v", ss("a"))).isEqualTo(item);
      fails(item, "DELETE ss :v", INCORRECT_TYPE, ":v", ns("1"));
      fails(item("pk", s("k"), "n", n(1)), "DELETE n :v", INCORRECT_TYPE, ":v", ns("1"));
    }
  }

  @Nested
  class ReturnValues {
    @Test
    void updatedOldAndNewHoldTheUpdatedAttributes() {
      Item item = item("pk", s("k"), "a", s("old"), "b", n(1), "c", s("gone soon"),
          "d", s("untouched"));
      Update.Result result = apply(item, "SET a = :v ADD b :one, e :one REMOVE c",
          ":v", s("new"), ":one", n(1));
      assertThat(result.item()).isEqualTo(item("pk", s("k"), "a", s("new"), "b", n(2),
          "d", s("untouched"), "e", n(1)));
      assertThat(result.updatedOld()).isEqualTo(item("a", s("old"), "b", n(1),
          "c", s("gone soon")));
      assertThat(result.updatedNew()).isEqualTo(item("a", s("new"), "b", n(2), "e", n(1)));
    }

    @Test
    void nestedUpdatesReturnOnlyTheirParts() {
      // DynamoDB's own example of nested updates (as dynalite's tests record it).
      Item item = item("a", s("key"), "b", m("a", n(1), "b", n(2), "c", n(3)),
          "c", l(n(1), n(3)));
      ExpressionContext context = ctx(":a", n(2), ":b", ss("a"));
      Update update = Update.parse("set b.c=((c[1])+(b.a)),b.a = a,c[1] = a, "
          + "c[4] = b.a - b.b, c[2] = b.c add c[8] :b, c[6] :a", context);
      Update.Result result = update.apply(item, Set.of("a"));
      assertThat(result.item()).isEqualTo(item("a", s("key"),
          "b", m("a", s("key"), "b", n(2), "c", n(4)),
          "c", l(n(1), s("key"), n(3), n(-1), n(2), ss("a"))));
      assertThat(result.updatedNew()).isEqualTo(item("b", m("a", s("key"), "c", n(4)),
          "c", l(s("key"), n(3), n(2))));
      assertThat(result.updatedOld()).isEqualTo(item("b", m("a", n(1), "c", n(3)),
          "c", l(n(3))));
    }

    @Test
    void aNewItemIsBuiltOnItsKey() {
      Update.Result result = apply(item("pk", s("k")), "SET b = if_not_exists(b, pk)");
      assertThat(result.item()).isEqualTo(item("pk", s("k"), "b", s("k")));
      assertThat(result.updatedOld()).isEqualTo(item());
      assertThat(result.updatedNew()).isEqualTo(item("b", s("k")));
    }
  }

  @Nested
  class KeyAttributes {
    @Test
    void keyAttributesCannotBeWritten() {
      String message = "One or more parameter values were invalid: Cannot update attribute pk. "
          + "This attribute is part of the key";
      Item item = item("pk", s("k"), "sk", n(1), "m", m());
      fails(item, "SET pk = :v", message, ":v", s("x"));
      fails(item, "ADD pk.x :v", message, ":v", n(1));
      fails(item, "REMOVE m.x, pk", message);
      Update sortKey = Update.parse("SET a = :v DELETE sk :s", ctx(":v", n(1), ":s", ns("1")));
      validation(() -> sortKey.apply(item, Set.of("pk", "sk")), "One or more parameter values "
          + "were invalid: Cannot update attribute sk. This attribute is part of the key");
      validation(() -> sortKey.checkKeyNotUpdated(Set.of("sk")), "One or more parameter values "
          + "were invalid: Cannot update attribute sk. This attribute is part of the key");
      assertThat(updated(item, "SET kept = pk").get("kept")).as("reading a key is fine")
          .isEqualTo(s("k"));
    }

    @Test
    void pathsAndAttributeNames() {
      Update update = Update.parse("SET a.b[2] = :v REMOVE c ADD #d :v",
          ctx("#d", "d", ":v", n(1)));
      assertThat(update.paths()).containsExactly(DocumentPath.of("a", "b", 2),
          DocumentPath.of("c"), DocumentPath.of("d"));
      assertThat(update.attributeNames()).containsExactly("a", "c", "d");
    }
  }

  @Nested
  class Errors {
    @Test
    void emptyTooLongAndSyntax() {
      invalid("", "The expression can not be empty;");
      invalid("SET a = :v" + " ".repeat(4087), "Expression size has exceeded the maximum "
          + "allowed size; expression size: 4097", ":v", n(1));
      invalid("ADD hits : incr", "Syntax error; token: \":\", near: \"hits : incr\"",
          ":incr", n(1));
      invalid("INVALID SYNTAX HERE", "Syntax error; token: \"INVALID\", near: \"INVALID SYNTAX\"");
      invalid("SET a", "Syntax error; token: \"<EOF>\", near: \"a\"");
      invalid("set a = b / c", "Syntax error; token: \"/\", near: \"b / c\"");
      invalid("set a = b + c + d", "Syntax error; token: \"+\", near: \"c + d\"");
      invalid("set :a = b", "Syntax error; token: \":a\", near: \"set :a =\"");
      invalid("remove :a", "Syntax error; token: \":a\", near: \"remove :a\"");
      invalid("add a b", "Syntax error; token: \"b\", near: \"a b\"");
      invalid("delete a if_not_exists(b)",
          "Syntax error; token: \"if_not_exists\", near: \"a if_not_exists(\"");
      invalid("set a = set", "Syntax error; token: \"set\", near: \"= set\"");
      invalid("SET a = :v,", "Syntax error; token: \"<EOF>\", near: \",\"", ":v", n(1));
      invalid("SET a[1] = \"x\"", "Syntax error; token: \"\"\", near: \"= \"x\"");
      invalid("SET a < :v", "Syntax error; token: \"<\", near: \"a < :v\"", ":v", n(1));
    }

    @Test
    void eachSectionOnce() {
      invalid("SET a = :v SET b = :v",
          "The \"SET\" section can only be used once in an update expression;", ":v", n(1));
      invalid("remove a set b = :v remove c",
          "The \"REMOVE\" section can only be used once in an update expression;", ":v", n(1));
      invalid("ADD a :v SET b = :v add c :v",
          "The \"ADD\" section can only be used once in an update expression;", ":v", n(1));
      invalid("DELETE a :s DELETE c :s",
          "The \"DELETE\" section can only be used once in an update expression;", ":s", ss("x"));
      assertThat(Update.parse("REMOVE r ADD a :n SET s = :n DELETE d :s",
          ctx(":n", n(1), ":s", ss("x"))).paths()).hasSize(4);
    }

    @Test
    void pathsMayNotOverlapOrConflict() {
      invalid("SET a = :v, a.b = :v", "Two document paths overlap with each other; must "
          + "remove or rewrite one of these paths; path one: [a], path two: [a, b]", ":v", n(1));
      invalid("SET a.b = :v REMOVE a", "Two document paths overlap with each other; must "
          + "remove or rewrite one of these paths; path one: [a, b], path two: [a]", ":v", n(1));
      invalid("SET a = :v, a = :w", "Two document paths overlap with each other; must remove "
          + "or rewrite one of these paths; path one: [a], path two: [a]", ":v", n(1), ":w", n(2));
      invalid("ADD l[1] :v DELETE l[1] :s", "Two document paths overlap with each other; must "
          + "remove or rewrite one of these paths; path one: [l, [1]], path two: [l, [1]]",
          ":v", n(1), ":s", ss("x"));
      invalid("SET a[1] = :v REMOVE a.b", "Two document paths conflict with each other; must "
          + "remove or rewrite one of these paths; path one: [a, [1]], path two: [a, b]",
          ":v", n(1));
      // dynalite's recordings of DynamoDB, with a name that looks like an index.
      invalid("set #c[3].#d = a, #c[3] = a", "Two document paths overlap with each other; "
          + "must remove or rewrite one of these paths; path one: [c, [3], [3]], path two: "
          + "[c, [3]]", "#c", "c", "#d", "[3]");
      invalid("remove a.#c set a[1] = #d", "Two document paths conflict with each other; must "
          + "remove or rewrite one of these paths; path one: [a, c], path two: [a, [1]]",
          "#c", "c", "#d", "[3]");
      // An overlap is reported before a conflict.
      invalid("set d[1] = a, d.b = a, c[1].a = a, #c = if_not_exists(a, b)", "Two document "
          + "paths overlap with each other; must remove or rewrite one of these paths; path one: "
          + "[c, [1], a], path two: [c]", "#c", "c");
      // Operands are not targets: reading a path that is written is fine.
      assertThat(Update.parse("SET a = a.b, a2 = a", ctx()).paths()).hasSize(2);
    }

    @Test
    void addAndDeleteTakeNumbersAndSets() {
      record Case(String section, AttributeValue value, String type) {}
      for (Case c : List.of(new Case("ADD", s("x"), "STRING"), new Case("ADD", b(1), "BINARY"),
          new Case("ADD", bool(true), "BOOLEAN"), new Case("ADD", nul(), "NULL"),
          new Case("ADD", l(n(1)), "LIST"), new Case("ADD", m("a", n(1)), "MAP"),
          new Case("DELETE", n(1), "NUMBER"), new Case("DELETE", s("x"), "STRING"),
          new Case("DELETE", l(), "LIST"))) {
        invalid(c.section() + " a.b :v", "Incorrect operand type for operator or function; "
            + "operator: " + c.section() + ", operand type: " + c.type(), ":v", c.value());
      }
    }

    @Test
    void functionsAreCheckedByNameCountAndType() {
      invalid("SET a = if_not_exist(a, :v)", "Invalid function name; function: if_not_exist",
          ":v", n(1));
      invalid("SET a = size(b)", "Invalid function name; function: size");
      invalid("SET a = if_not_exists(c)", "Incorrect number of operands for operator or "
          + "function; operator or function: if_not_exists, number of operands: 1");
      invalid("SET a = list_append(a, b, c)", "Incorrect number of operands for operator or "
          + "function; operator or function: list_append, number of operands: 3");
      invalid("SET a = if_not_exists(:v, c)", "Operator or function requires a document path; "
          + "operator or function: if_not_exists", ":v", n(1));
      invalid("SET a = if_not_exists(if_not_exists(a, b), c)", "Operator or function requires "
          + "a document path; operator or function: if_not_exists");
      invalid("SET a = list_append(:v, a)", "Incorrect operand type for operator or function; "
          + "operator or function: list_append, operand type: S", ":v", s("x"));
      invalid("SET a = list_append(a, :v)", "Incorrect operand type for operator or function; "
          + "operator or function: list_append, operand type: M", ":v", m());
      invalid("SET a = a + :v", "Incorrect operand type for operator or function; operator or "
          + "function: +, operand type: S", ":v", s("x"));
      invalid("SET a = :v - a", "Incorrect operand type for operator or function; operator or "
          + "function: -, operand type: B", ":v", b(1));
      invalid("SET a = a - :v", "Incorrect operand type for operator or function; operator or "
          + "function: -, operand type: NS", ":v", ns("1"));
    }

    @Test
    void namesValuesAndReservedWords() {
      invalid(" remove Absolute ", "Attribute name is a reserved keyword; reserved keyword: "
          + "Absolute");
      invalid("SET a.status = :v", "Attribute name is a reserved keyword; reserved keyword: "
          + "status", ":v", n(1));
      invalid("SET a = :v", "An expression attribute value used in expression is not defined; "
          + "attribute value: :v");
      invalid("SET #a = :v", "An expression attribute name used in the document path is not "
          + "defined; attribute name: #a", ":v", n(1));
      invalid("ADD a :v", "An expression attribute value used in expression is not defined; "
          + "attribute value: :v");
      // In DynamoDB's order: reserved words, then unknown functions, then repeated sections.
      invalid("SET a = nope(b) SET c = :v REMOVE status", "Attribute name is a reserved "
          + "keyword; reserved keyword: status");
      invalid("SET a = nope(b) SET c = :undefined", "Invalid function name; function: nope");
      invalid("SET a = :undefined SET c = b", "The \"SET\" section can only be used once in an "
          + "update expression;");
    }
  }
}
