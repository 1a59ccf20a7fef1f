package fabric.dynamo.expr;

import fabric.dynamo.expr.Ast.Between;
import fabric.dynamo.expr.Ast.Call;
import fabric.dynamo.expr.Ast.Compare;
import fabric.dynamo.expr.Ast.Comparator;
import fabric.dynamo.expr.Ast.Cond;
import fabric.dynamo.expr.Ast.Function;
import fabric.dynamo.expr.Ast.In;
import fabric.dynamo.expr.Ast.Operand;
import fabric.dynamo.expr.Ast.PathRef;
import fabric.dynamo.expr.Ast.ValueRef;
import fabric.dynamo.expr.Expressions.Kind;
import fabric.dynamo.expr.Expressions.Problem;
import fabric.dynamo.expr.Expressions.Problems;
import fabric.dynamo.expr.grammar.DynamoConditionParser;
import fabric.dynamo.expr.grammar.DynamoConditionParser.AndConditionContext;
import fabric.dynamo.expr.grammar.DynamoConditionParser.BetweenContext;
import fabric.dynamo.expr.grammar.DynamoConditionParser.ComparisonContext;
import fabric.dynamo.expr.grammar.DynamoConditionParser.FunctionConditionContext;
import fabric.dynamo.expr.grammar.DynamoConditionParser.FunctionContext;
import fabric.dynamo.expr.grammar.DynamoConditionParser.FunctionOperandContext;
import fabric.dynamo.expr.grammar.DynamoConditionParser.InContext;
import fabric.dynamo.expr.grammar.DynamoConditionParser.NegationContext;
import fabric.dynamo.expr.grammar.DynamoConditionParser.NotConditionContext;
import fabric.dynamo.expr.grammar.DynamoConditionParser.OperandContext;
import fabric.dynamo.expr.grammar.DynamoConditionParser.OrConditionContext;
import fabric.dynamo.expr.grammar.DynamoConditionParser.ParenConditionContext;
import fabric.dynamo.expr.grammar.DynamoConditionParser.ParenOperandContext;
import fabric.dynamo.expr.grammar.DynamoConditionParser.PathOperandContext;
import fabric.dynamo.expr.grammar.DynamoConditionParser.PrimaryConditionContext;
import fabric.dynamo.expr.grammar.DynamoConditionParser.PrimaryContext;
import fabric.dynamo.expr.grammar.DynamoConditionParser.ValueOperandContext;
import fabric.dynamo.model.AttributeValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds a condition's tree from the parse tree and makes DynamoDB's static checks on it:
 * function names, operand counts and types, functions where they may not stand, redundant
 * parentheses, reserved words, undefined placeholders, BETWEEN's bounds, IN's size.
 */
final class ConditionBuilder {
  /** The functions a condition knows, with their operand counts. */
  static final Map<String, Integer> FUNCTIONS = Map.of("attribute_exists", 1,
      "attribute_not_exists", 1, "attribute_type", 2, "begins_with", 2, "contains", 2, "size", 1);
  static final int MAX_IN_OPERANDS = 100;

  private final ExpressionContext context;
  private final Problems problems;

  private ConditionBuilder(Kind kind, ExpressionContext context) {
    this.context = context;
    this.problems = new Problems(kind, Expressions.CONDITION_ORDER);
  }

  /** Parses and checks a condition (or filter, or key condition) expression. */
  static Cond parse(Kind kind, String text, ExpressionContext context) {
    Expressions.checkText(kind, text);
    context.expressionParsed();
    DynamoConditionParser parser = Expressions.conditionParser(kind, text);
    OrConditionContext tree = parser.conditionExpression().orCondition();
    ConditionBuilder builder = new ConditionBuilder(kind, context);
    Cond cond = builder.or(tree);
    builder.problems.throwFirst();
    return cond;
  }

  private Cond or(OrConditionContext ctx) {
    Cond cond = null;
    for (AndConditionContext and : ctx.andCondition()) {
      Cond next = and(and);
      cond = cond == null ? next : new Ast.Or(cond, next);
    }
    return cond;
  }

  private Cond and(AndConditionContext ctx) {
    Cond cond = null;
    for (NotConditionContext not : ctx.notCondition()) {
      Cond next = not(not);
      cond = cond == null ? next : new Ast.And(cond, next);
    }
    return cond;
  }

  private Cond not(NotConditionContext ctx) {
    if (ctx instanceof NegationContext negation) {
      Cond operand = not(negation.notCondition());
      misusedSize(operand);
      return new Ast.Not(operand);
    }
    return primary(((PrimaryContext) ctx).primaryCondition());
  }

  private Cond primary(PrimaryConditionContext ctx) {
    if (ctx instanceof ComparisonContext c) {
      Comparator op = Comparator.of(c.comparator().getText());
      Operand left = operand(c.operand(0));
      Operand right = operand(c.operand(1));
      misused(left);
      misused(right);
      distinct(op.symbol, left, List.of(right));
      return new Compare(op, left, right);
    } else if (ctx instanceof BetweenContext b) {
      Operand operand = operand(b.operand(0));
      Operand lower = operand(b.operand(1));
      Operand upper = operand(b.operand(2));
      misused(operand);
      misused(lower);
      misused(upper);
      checkBounds(lower, upper);
      return new Between(operand, lower, upper);
    } else if (ctx instanceof InContext in) {
      Operand operand = operand(in.operand(0));
      misused(operand);
      List<Operand> candidates = new ArrayList<>();
      for (OperandContext o : in.operand().subList(1, in.operand().size())) {
        Operand candidate = operand(o);
        misused(candidate);
        candidates.add(candidate);
      }
      if (candidates.size() > MAX_IN_OPERANDS) {
        problems.add(Problem.FUNCTION, "The IN operator is provided with too many operands; "
            + "number of operands: " + candidates.size());
      }
      distinct("IN", operand, candidates);
      return new In(operand, candidates);
    } else if (ctx instanceof FunctionConditionContext f) {
      Call call = function(f.function());
      if (call.name().equals("size")) {
        misusedSize(call);
      }
      return new Function(call.name(), call.args());
    }
    OrConditionContext inner = ((ParenConditionContext) ctx).orCondition();
    if (isParenthesized(inner)) {
      problems.add(Problem.PARENS, "The expression has redundant parentheses;");
    }
    return or(inner);
  }

  /** Whether a condition is nothing but another parenthesized condition: {@code ((a = b))}. */
  private static boolean isParenthesized(OrConditionContext ctx) {
    return ctx.andCondition().size() == 1
        && ctx.andCondition(0).notCondition().size() == 1
        && ctx.andCondition(0).notCondition(0) instanceof PrimaryContext p
        && p.primaryCondition() instanceof ParenConditionContext;
  }

  private Operand operand(OperandContext ctx) {
    if (ctx instanceof FunctionOperandContext f) {
      return function(f.function());
    } else if (ctx instanceof PathOperandContext p) {
      return new PathRef(Paths.build(p.path(), context, problems));
    } else if (ctx instanceof ValueOperandContext v) {
      return value(v.VALUE().getText());
    }
    OperandContext inner = ((ParenOperandContext) ctx).operand();
    if (inner instanceof ParenOperandContext) {
      problems.add(Problem.PARENS, "The expression has redundant parentheses;");
    }
    return operand(inner);
  }

  private ValueRef value(String placeholder) {
    AttributeValue value = context.value(placeholder);
    if (value == null) {
      problems.add(Problem.ATTR_VALUE, "An expression attribute value used in expression is not "
          + "defined; attribute value: " + placeholder);
    }
    return new ValueRef(placeholder, value);
  }

  private Call function(FunctionContext ctx) {
    String name = ctx.IDENT().getText();
    List<Operand> args = new ArrayList<>();
    for (OperandContext o : ctx.operand()) {
      args.add(operand(o));
    }
    Call call = new Call(name, args);
    Integer arity = FUNCTIONS.get(name);
    if (arity == null) {
      problems.add(Problem.UNKNOWN_FUNCTION, "Invalid function name; function: " + name);
      return call;
    }
    args.forEach(this::misused);
    if (args.size() != arity) {
      problems.add(Problem.OPERAND_COUNT, "Incorrect number of operands for operator or "
          + "function; operator or function: " + name + ", number of operands: " + args.size());
      return call;
    }
    if (arity == 2) {
      distinct(name, args.get(0), List.of(args.get(1)));
    }
    switch (name) {
      case "attribute_exists", "attribute_not_exists" -> {
        if (!(args.get(0) instanceof PathRef)) {
          problems.add(Problem.FUNCTION, "Operator or function requires a document path; "
              + "operator or function: " + name);
        }
      }
      case "begins_with" -> {
        for (Operand arg : args) {
          String type = staticType(arg);
          if (type != null && !type.equals("S") && !type.equals("B")) {
            wrongType(name, type);
            break;
          }
        }
      }
      case "attribute_type" -> {
        String type = staticType(args.get(1));
        if (type == null) {
          wrongType(name, "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}");
        } else if (!type.equals("S")) {
          wrongType(name, type);
        } else if (args.get(1) instanceof ValueRef v
            && !Values.TYPE_NAMES.contains(((AttributeValue.S) v.value()).value())) {
          problems.add(Problem.FUNCTION, "Invalid attribute type name found; type: "
              + ((AttributeValue.S) v.value()).value()
              + ", valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
        }
      }
      case "size" -> {
        String type = staticType(args.get(0));
        if (type != null && (type.equals("N") || type.equals("BOOL") || type.equals("NULL"))) {
          wrongType(name, type);
        }
      }
      default -> { }
    }
    return call;
  }

  private void wrongType(String function, String type) {
    problems.add(Problem.FUNCTION, "Incorrect operand type for operator or function; operator "
        + "or function: " + function + ", operand type: " + type);
  }

  /** The type an operand is known to have before evaluation: a value's, or size()'s N. */
  private static String staticType(Operand operand) {
    if (operand instanceof ValueRef v && v.value() != null) {
      return v.value().type();
    }
    if (operand instanceof Call c && c.name().equals("size")) {
      return "N";
    }
    return null;
  }

  /** Only size() may stand where an operand is expected. */
  private void misused(Operand operand) {
    if (operand instanceof Call c && !c.name().equals("size") && FUNCTIONS.containsKey(c.name())) {
      problems.add(Problem.MISUSED_FUNCTION,
          "The function is not allowed to be used this way in an expression; function: "
              + c.name());
    }
  }

  /** size() can't stand where a condition is expected. */
  private void misusedSize(Object condOrOperand) {
    if ((condOrOperand instanceof Call c && c.name().equals("size"))
        || (condOrOperand instanceof Function f && f.name().equals("size"))) {
      problems.add(Problem.MISUSED_FUNCTION,
          "The function is not allowed to be used this way in an expression; function: size");
    }
  }

  private void distinct(String operator, Operand first, List<Operand> others) {
    if (!(first instanceof PathRef p)) {
      return;
    }
    for (Operand other : others) {
      if (other.equals(p)) {
        problems.add(Problem.DISTINCT, "The first operand must be distinct from the remaining "
            + "operands for this operator or function; operator: " + operator
            + ", first operand: " + p.path().describe());
        return;
      }
    }
  }

  private void checkBounds(Operand lower, Operand upper) {
    if (!(lower instanceof ValueRef l) || !(upper instanceof ValueRef u)
        || l.value() == null || u.value() == null) {
      return;
    }
    String bounds = "lower bound operand: AttributeValue: " + Values.describe(l.value())
        + ", upper bound operand: AttributeValue: " + Values.describe(u.value());
    if (!l.value().type().equals(u.value().type())) {
      problems.add(Problem.FUNCTION,
          "The BETWEEN operator requires same data type for lower and upper bounds; " + bounds);
      return;
    }
    Integer order = Values.compare(l.value(), u.value());
    if (order != null && order > 0) {
      problems.add(Problem.FUNCTION, "The BETWEEN operator requires upper bound to be greater "
          + "than or equal to lower bound; " + bounds);
    }
  }
}
