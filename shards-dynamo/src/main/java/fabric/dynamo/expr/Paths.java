package fabric.dynamo.expr;

import fabric.dynamo.expr.DocumentPath.Element;
import fabric.dynamo.expr.DocumentPath.Index;
import fabric.dynamo.expr.DocumentPath.Name;
import fabric.dynamo.expr.Expressions.Problem;
import fabric.dynamo.expr.Expressions.Problems;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

/** Document paths from either grammar's {@code path} rule, and the checks on sets of paths. */
final class Paths {
  private Paths() {}

  /**
   * The path a {@code path} rule matched: names checked against the reserved words,
   * placeholders resolved (and marked used), indexes read.
   */
  static DocumentPath build(ParserRuleContext path, ExpressionContext context,
      Problems problems) {
    List<Element> elements = new ArrayList<>();
    for (ParseTree child : path.children) {
      if (child instanceof ParserRuleContext nameRule) {
        String text = nameRule.getStart().getText();
        if (text.startsWith("#")) {
          String resolved = context.name(text);
          if (resolved == null) {
            problems.add(Problem.ATTR_NAME, "An expression attribute name used in the document "
                + "path is not defined; attribute name: " + text);
            resolved = text;
          }
          elements.add(new Name(resolved));
        } else {
          if (Expressions.isReserved(text)) {
            problems.add(Problem.RESERVED,
                "Attribute name is a reserved keyword; reserved keyword: " + text);
          }
          elements.add(new Name(text));
        }
      } else if (child instanceof TerminalNode t && Character.isDigit(t.getText().charAt(0))) {
        long index;
        try {
          index = Long.parseLong(t.getText());
        } catch (NumberFormatException e) {
          index = Long.MAX_VALUE;
        }
        if (index > Integer.MAX_VALUE) {
          problems.add(Problem.PATH_DEPTH,
              "List index is not within the allowable range; index: [" + t.getText() + "]");
          index = 0;
        }
        elements.add(new Index((int) index));
      }
    }
    if (elements.size() > Expressions.MAX_NESTING_LEVELS) {
      problems.add(Problem.PATH_DEPTH,
          "The document path has too many nesting levels; nesting levels: " + elements.size());
    }
    return new DocumentPath(elements);
  }

  /**
   * DynamoDB's refusal of paths that touch each other, in the order given: one a prefix of the
   * other (or equal) overlaps; the same prefix followed by a key in one and an index in the
   * other conflicts.
   */
  static void checkDisjoint(List<DocumentPath> paths, Problems problems) {
    for (int j = 1; j < paths.size(); j++) {
      for (int i = 0; i < j; i++) {
        DocumentPath one = paths.get(i);
        DocumentPath two = paths.get(j);
        String relation = relation(one, two);
        if (relation == null) {
          continue;
        }
        String message = "Two document paths " + relation + " with each other; must remove or "
            + "rewrite one of these paths; path one: " + one.describe() + ", path two: "
            + two.describe();
        problems.add(relation.equals("overlap") ? Problem.PATH_OVERLAP : Problem.PATH_CONFLICT,
            message);
      }
    }
  }

  private static String relation(DocumentPath one, DocumentPath two) {
    int common = Math.min(one.size(), two.size());
    for (int k = 0; k < common; k++) {
      Element a = one.elements().get(k);
      Element b = two.elements().get(k);
      if (a.getClass() != b.getClass()) {
        return "conflict";
      }
      if (!a.equals(b)) {
        return null;
      }
    }
    return "overlap";
  }
}
