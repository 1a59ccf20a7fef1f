package fabric.dynamo.expr;

import static fabric.dynamo.expr.V.ctx;
import static fabric.dynamo.expr.V.item;
import static fabric.dynamo.expr.V.l;
import static fabric.dynamo.expr.V.m;
import static fabric.dynamo.expr.V.n;
import static fabric.dynamo.expr.V.s;
import static fabric.dynamo.expr.V.validation;
import static org.assertj.core.api.Assertions.assertThat;

import fabric.dynamo.model.Item;
import org.junit.jupiter.api.Test;

/** ProjectionExpression: which parts of an item come back, and DynamoDB's refusals. */
class ProjectionTest {
  private final Item item = item(
      "pk", s("k"),
      "a", s("A"),
      "m", m("x", n(1), "y", m("deep", s("D"), "other", s("O")), "z", l(n(1), n(2))),
      "l", l(s("l0"), m("p", s("P"), "q", s("Q")), s("l2"), s("l3")));

  private Item project(String expression, Object... placeholders) {
    ExpressionContext context = ctx(placeholders);
    Projection projection = Projection.parse(expression, context);
    context.checkAllUsed();
    return projection.apply(item);
  }

  private static void invalid(String expression, String message, Object... placeholders) {
    validation(() -> Projection.parse(expression, ctx(placeholders)),
        "Invalid ProjectionExpression: " + message);
  }

  @Test
  void topLevelAttributes() {
    assertThat(project("a, pk")).isEqualTo(item("pk", s("k"), "a", s("A")));
    assertThat(project("gone")).isEqualTo(item());
    assertThat(project("a,gone , #m", "#m", "m")).isEqualTo(item("a", s("A"), "m", item.get("m")));
  }

  @Test
  void nestedMapsKeepOnlyTheProjectedKeys() {
    assertThat(project("m.x")).isEqualTo(item("m", m("x", n(1))));
    assertThat(project("m.y.deep, m.x")).isEqualTo(item("m", m("x", n(1), "y", m("deep",
        s("D")))));
    assertThat(project("m.gone")).as("nothing there: the attribute is left out")
        .isEqualTo(item());
    assertThat(project("m.x.y")).as("a key of a number").isEqualTo(item());
    assertThat(project("m[0]")).as("an index of a map").isEqualTo(item());
  }

  @Test
  void listsKeepTheProjectedElementsInIndexOrder() {
    assertThat(project("l[2], l[0]")).isEqualTo(item("l", l(s("l0"), s("l2"))));
    assertThat(project("l[1].q")).isEqualTo(item("l", l(m("q", s("Q")))));
    assertThat(project("l[3], l[1].p, l[9]")).isEqualTo(item("l", l(m("p", s("P")), s("l3"))));
    assertThat(project("m.z[1], a")).isEqualTo(item("a", s("A"), "m", m("z", l(n(2)))));
    assertThat(project("l.p")).as("a key of a list").isEqualTo(item());
  }

  @Test
  void pathsAreKeptInOrder() {
    Projection projection = Projection.parse("a, #b.c[1]", ctx("#b", "b"));
    assertThat(projection.paths()).containsExactly(DocumentPath.of("a"),
        DocumentPath.of("b", "c", 1));
    assertThat(projection.toString()).isEqualTo("a, b.c[1]");
  }

  @Test
  void errors() {
    invalid("", "The expression can not be empty;");
    invalid("a,, b", "Syntax error; token: \",\", near: \",, b\"");
    invalid("a, :v", "Syntax error; token: \":v\", near: \", :v\"");
    invalid("a b", "Syntax error; token: \"b\", near: \"a b\"");
    invalid("size(a)", "Syntax error; token: \"(\", near: \"size(a\"");
    invalid("a, name", "Attribute name is a reserved keyword; reserved keyword: name");
    invalid("a, #n", "An expression attribute name used in the document path is not defined; "
        + "attribute name: #n");
    invalid("a, b, a.c", "Two document paths overlap with each other; must remove or rewrite "
        + "one of these paths; path one: [a], path two: [a, c]");
    invalid("a.c, a", "Two document paths overlap with each other; must remove or rewrite one "
        + "of these paths; path one: [a, c], path two: [a]");
    invalid("a, #a", "Two document paths overlap with each other; must remove or rewrite one "
        + "of these paths; path one: [a], path two: [a]", "#a", "a");
    invalid("a[0], a.b", "Two document paths conflict with each other; must remove or rewrite "
        + "one of these paths; path one: [a, [0]], path two: [a, b]");
    invalid("a" + ", b".repeat(2100), "Expression size has exceeded the maximum allowed size; "
        + "expression size: 6301");
  }
}
