package fabric.dynamo.expr;

import fabric.dynamo.expr.Expressions.Kind;
import fabric.dynamo.model.Item;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A parsed ConditionExpression or FilterExpression: comparators ({@code = <> < <= > >=}),
 * {@code BETWEEN}, {@code IN}, {@code AND}, {@code OR}, {@code NOT}, parentheses, and the functions
 * attribute_exists, attribute_not_exists, attribute_type, begins_with, contains and size.
 *
 * <p>Parsing makes all of DynamoDB's static checks and throws its ValidationException
 * ("Invalid ConditionExpression: ..."); evaluation never fails: comparing values of different
 * types, or with a missing attribute, is simply false ({@code <>} true). Immutable and
 * thread-safe once parsed.
 */
public final class Condition {
  private final Ast.Cond root;

  private Condition(Ast.Cond root) {
    this.root = root;
  }

  /** A ConditionExpression (PutItem, UpdateItem, DeleteItem, transactions). */
  public static Condition parse(String expression, ExpressionContext context) {
    return new Condition(ConditionBuilder.parse(Kind.CONDITION, expression, context));
  }

  /** A FilterExpression (Query, Scan): the same language, its own error prefix. */
  public static Condition parseFilter(String expression, ExpressionContext context) {
    return new Condition(ConditionBuilder.parse(Kind.FILTER, expression, context));
  }

  /** Whether the item (null: there is none) satisfies the condition. */
  public boolean test(Item itemOrNull) {
    return Ast.test(root, itemOrNull);
  }

  /**
   * The top-level attributes the condition reads, so that a Query can refuse a filter on its key
   * attributes ("Filter Expression can only contain non-primary key attributes").
   */
  public Set<String> attributeNames() {
    Set<String> names = new LinkedHashSet<>();
    collect(root, names);
    return names;
  }

  private static void collect(Ast.Cond cond, Set<String> names) {
    if (cond instanceof Ast.Compare c) {
      collect(c.left(), names);
      collect(c.right(), names);
    } else if (cond instanceof Ast.Between b) {
      collect(b.operand(), names);
      collect(b.lower(), names);
      collect(b.upper(), names);
    } else if (cond instanceof Ast.In in) {
      collect(in.operand(), names);
      in.candidates().forEach(o -> collect(o, names));
    } else if (cond instanceof Ast.And and) {
      collect(and.left(), names);
      collect(and.right(), names);
    } else if (cond instanceof Ast.Or or) {
      collect(or.left(), names);
      collect(or.right(), names);
    } else if (cond instanceof Ast.Not not) {
      collect(not.operand(), names);
    } else if (cond instanceof Ast.Function f) {
      f.args().forEach(o -> collect(o, names));
    }
  }

  private static void collect(Ast.Operand operand, Set<String> names) {
    if (operand instanceof Ast.PathRef p) {
      names.add(p.path().attributeName());
    } else if (operand instanceof Ast.Call c) {
      c.args().forEach(o -> collect(o, names));
    }
  }

  Ast.Cond ast() {
    return root;
  }

  /** The condition as expression text (names bare, values as their placeholders). */
  @Override
  public String toString() {
    return Ast.print(root);
  }
}
