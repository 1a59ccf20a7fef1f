package fabric.dynamo.expr;

import static fabric.dynamo.expr.V.ctx;
import static fabric.dynamo.expr.V.item;
import static fabric.dynamo.expr.V.l;
import static fabric.dynamo.expr.V.m;
import static fabric.dynamo.expr.V.n;
import static fabric.dynamo.expr.V.s;
import static fabric.dynamo.expr.V.validation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fabric.dynamo.model.AttributeValue;
import fabric.dynamo.model.Item;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ExpressionAttributeNames and ExpressionAttributeValues; DocumentPath's own operations. */
class ExpressionContextTest {

  @Test
  void emptyMapsAndBadKeysAreRefused() {
    validation(() -> ExpressionContext.of(Map.of(), Map.of()),
        "ExpressionAttributeNames must not be empty");
    validation(() -> ExpressionContext.of(null, Map.of()),
        "ExpressionAttributeValues must not be empty");
    validation(() -> ExpressionContext.of(Map.of("a", "a"), Map.of()),
        "ExpressionAttributeNames contains invalid key: Syntax error; key: \"a\"");
    validation(() -> ExpressionContext.of(Map.of("#", "a"), null),
        "ExpressionAttributeNames contains invalid key: Syntax error; key: \"#\"");
    validation(() -> ExpressionContext.of(null, Map.of("b", s("x"))),
        "ExpressionAttributeValues contains invalid key: Syntax error; key: \"b\"");
    validation(() -> ExpressionContext.of(null, Map.of(":a-b", s("x"))),
        "ExpressionAttributeValues contains invalid key: Syntax error; key: \":a-b\"");
  }

  @Test
  void placeholdersWithoutExpressionsAreRefused() {
    validation(() -> ctx("#a", "a").checkAllUsed(),
        "ExpressionAttributeNames can only be specified when using expressions");
    validation(() -> ctx(":v", n(1)).checkAllUsed(),
        "ExpressionAttributeValues can only be specified when using expressions");
    ExpressionContext.empty().checkAllUsed();
  }

  @Test
  void everyPlaceholderMustBeUsedByOneOfTheRequestsExpressions() {
    ExpressionContext context = ctx("#a", "a", "#b", "b", "#c", "c", ":x", n(1), ":y", n(2));
    Condition.parse("#a = :x", context);
    validation(context::checkAllUsed,
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b, #c}");
    Update.parse("SET #b = :y REMOVE #c", context);
    context.checkAllUsed();
    assertThat(context.used()).containsExactly("#a", "#b", "#c", ":x", ":y");

    ExpressionContext values = ctx(":a", n(1), ":b", n(2), ":c", n(3));
    Update.parse("REMOVE a", values);
    Condition.parse("a = :b", values);
    validation(values::checkAllUsed,
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:a, :c}");

    ExpressionContext both = ctx("#n", "n", ":v", n(1));
    Projection.parse("a", both);
    validation(both::checkAllUsed,
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#n}");
  }

  @Test
  void documentPathsReadWriteAndRemove() {
    Item item = item("a", m("b", l(n(0), m("c", s("x")))), "t", s("top"));
    DocumentPath path = DocumentPath.of("a", "b", 1, "c");
    assertThat(path.toString()).isEqualTo("a.b[1].c");
    assertThat(path.describe()).isEqualTo("[a, b, [1], c]");
    assertThat(path.attributeName()).isEqualTo("a");
    assertThat(path.get(item)).isEqualTo(s("x"));
    assertThat(path.get(null)).isNull();
    assertThat(DocumentPath.of("a", "b", 7).get(item)).isNull();
    assertThat(DocumentPath.of("t", "x").get(item)).isNull();

    AttributeValue y = s("y");
    assertThat(path.set(item, y).get("a")).isEqualTo(m("b", l(n(0), m("c", y))));
    assertThat(DocumentPath.of("a", "b", 9).set(item, y).get("a"))
        .isEqualTo(m("b", l(n(0), m("c", s("x")), y)));
    assertThat(DocumentPath.of("new").set(null, y)).isEqualTo(item("new", y));
    assertThat(DocumentPath.of("a", "b", 0).remove(item).get("a"))
        .isEqualTo(m("b", l(m("c", s("x")))));
    assertThat(DocumentPath.of("gone").remove(item)).isEqualTo(item);
    validation(() -> DocumentPath.of("gone", "x").set(item, y),
        "The document path provided in the update expression is invalid for update");
    validation(() -> DocumentPath.of("t", 0).remove(item),
        "The document path provided in the update expression is invalid for update");
    assertThat(item.get("t")).as("items are never changed in place").isEqualTo(s("top"));

    assertThatThrownBy(() -> DocumentPath.of(0, "a"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DocumentPath.of("a", -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(DocumentPath.of("a", 1)).isEqualTo(DocumentPath.of("a", 1))
        .isNotEqualTo(DocumentPath.of("a", "1"));
  }
}
