package fabric.dynamo.expr;

import fabric.dynamo.expr.Expressions.Kind;
import fabric.dynamo.expr.Expressions.Problems;
import fabric.dynamo.expr.grammar.DynamoConditionParser;
import fabric.dynamo.expr.grammar.DynamoConditionParser.PathContext;
import fabric.dynamo.model.Item;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed ProjectionExpression: comma-separated document paths ({@code a, b.c, d[2].e}, names
 * through {@code #placeholders}). Paths may not overlap or conflict, as DynamoDB refuses.
 * Immutable and thread-safe once parsed.
 */
public final class Projection {
  private final List<DocumentPath> paths;

  private Projection(List<DocumentPath> paths) {
    this.paths = List.copyOf(paths);
  }

  public static Projection parse(String expression, ExpressionContext context) {
    Expressions.checkText(Kind.PROJECTION, expression);
    context.expressionParsed();
    DynamoConditionParser parser = Expressions.conditionParser(Kind.PROJECTION, expression);
    Problems problems = new Problems(Kind.PROJECTION, Expressions.PROJECTION_ORDER);
    List<DocumentPath> paths = new ArrayList<>();
    for (PathContext path : parser.projectionExpression().path()) {
      paths.add(Paths.build(path, context, problems));
    }
    Paths.checkDisjoint(paths, problems);
    problems.throwFirst();
    return new Projection(paths);
  }

  public List<DocumentPath> paths() {
    return paths;
  }

  /**
   * The item as DynamoDB returns it under this projection: only the projected attributes, and
   * within maps and lists only the projected parts (a list keeps the projected elements in
   * index order, compacted). Paths to nothing are left out; an item with none of them is empty.
   */
  public Item apply(Item item) {
    return PathTree.project(item, paths);
  }

  @Override
  public String toString() {
    return String.join(", ", paths.stream().map(DocumentPath::toString).toList());
  }
}
