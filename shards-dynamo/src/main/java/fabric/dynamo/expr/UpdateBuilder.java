package fabric.dynamo.expr;

import fabric.dynamo.expr.Ast.Call;
import fabric.dynamo.expr.Ast.Operand;
import fabric.dynamo.expr.Ast.PathRef;
import fabric.dynamo.expr.Ast.ValueRef;
import fabric.dynamo.expr.Expressions.Kind;
import fabric.dynamo.expr.Expressions.Problem;
import fabric.dynamo.expr.Expressions.Problems;
import fabric.dynamo.expr.grammar.DynamoUpdateParser;
import fabric.dynamo.expr.grammar.DynamoUpdateParser.AddSectionContext;
import fabric.dynamo.expr.grammar.DynamoUpdateParser.DeleteSectionContext;
import fabric.dynamo.expr.grammar.DynamoUpdateParser.FunctionContext;
import fabric.dynamo.expr.grammar.DynamoUpdateParser.FunctionOperandContext;
import fabric.dynamo.expr.grammar.DynamoUpdateParser.MinusValueContext;
import fabric.dynamo.expr.grammar.DynamoUpdateParser.OperandContext;
import fabric.dynamo.expr.grammar.DynamoUpdateParser.ParenOperandContext;
import fabric.dynamo.expr.grammar.DynamoUpdateParser.ParenValueContext;
import fabric.dynamo.expr.grammar.DynamoUpdateParser.PathContext;
import fabric.dynamo.expr.grammar.DynamoUpdateParser.PathOperandContext;
import fabric.dynamo.expr.grammar.DynamoUpdateParser.PathValueContext;
import fabric.dynamo.expr.grammar.DynamoUpdateParser.PlainValueContext;
import fabric.dynamo.expr.grammar.DynamoUpdateParser.PlusValueContext;
import fabric.dynamo.expr.grammar.DynamoUpdateParser.RemoveSectionContext;
import fabric.dynamo.expr.grammar.DynamoUpdateParser.SectionContext;
import fabric.dynamo.expr.grammar.DynamoUpdateParser.SetActionContext;
import fabric.dynamo.expr.grammar.DynamoUpdateParser.SetSectionContext;
import fabric.dynamo.expr.grammar.DynamoUpdateParser.SetValueContext;
import fabric.dynamo.expr.grammar.DynamoUpdateParser.ValueOperandContext;
import fabric.dynamo.model.AttributeValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds an update's actions from the parse tree, with DynamoDB's static checks: each section
 * once, function names, operand counts and types, ADD's and DELETE's value types, reserved
 * words, undefined placeholders, overlapping or conflicting paths.
 */
final class UpdateBuilder {
  static final Map<String, Integer> FUNCTIONS = Map.of("if_not_exists", 2, "list_append", 2);

  /** What an UpdateExpression does, in the order written. */
  sealed interface Action permits SetAction, RemoveAction, AddAction, DeleteAction {
    DocumentPath path();
  }

  /** {@code SET path = left}, or {@code left + right}, {@code left - right} (op '+' or '-'). */
  record SetAction(DocumentPath path, Operand left, char op, Operand right) implements Action {}

  record RemoveAction(DocumentPath path) implements Action {}

  record AddAction(DocumentPath path, AttributeValue value) implements Action {}

  record DeleteAction(DocumentPath path, AttributeValue value) implements Action {}

  private final ExpressionContext context;
  private final Problems problems = new Problems(Kind.UPDATE, Expressions.UPDATE_ORDER);
  private final Set<String> sections = new HashSet<>();
  private final List<Action> actions = new ArrayList<>();

  private UpdateBuilder(ExpressionContext context) {
    this.context = context;
  }

  static List<Action> parse(String text, ExpressionContext context) {
    Expressions.checkText(Kind.UPDATE, text);
    context.expressionParsed();
    DynamoUpdateParser parser = Expressions.updateParser(text);
    UpdateBuilder builder = new UpdateBuilder(context);
    for (SectionContext section : parser.updateExpression().section()) {
      builder.section(section);
    }
    Paths.checkDisjoint(builder.actions.stream().map(Action::path).toList(), builder.problems);
    builder.problems.throwFirst();
    return List.copyOf(builder.actions);
  }

  private void section(SectionContext ctx) {
    String name = ctx.getStart().getText().toUpperCase(Locale.ROOT);
    if (!sections.add(name)) {
      problems.add(Problem.SECTION,
          "The \"" + name + "\" section can only be used once in an update expression;");
    }
    if (ctx instanceof SetSectionContext set) {
      for (SetActionContext action : set.setAction()) {
        setAction(action);
      }
    } else if (ctx instanceof RemoveSectionContext remove) {
      for (PathContext path : remove.path()) {
        actions.add(new RemoveAction(path(path)));
      }
    } else if (ctx instanceof AddSectionContext add) {
      for (PathValueContext pv : add.pathValue()) {
        DocumentPath path = path(pv.path());
        ValueRef value = value(pv.VALUE().getText());
        checkOperand("ADD", value.value());
        actions.add(new AddAction(path, value.value()));
      }
    } else {
      for (PathValueContext pv : ((DeleteSectionContext) ctx).pathValue()) {
        DocumentPath path = path(pv.path());
        ValueRef value = value(pv.VALUE().getText());
        checkOperand("DELETE", value.value());
        actions.add(new DeleteAction(path, value.value()));
      }
    }
  }

  private void setAction(SetActionContext ctx) {
    DocumentPath path = path(ctx.path());
    SetValueContext value = ctx.setValue();
    while (value instanceof ParenValueContext paren) {
      value = paren.setValue();
    }
    if (value instanceof PlainValueContext plain) {
      actions.add(new SetAction(path, operand(plain.operand()), ' ', null));
      return;
    }
    boolean plus = value instanceof PlusValueContext;
    List<OperandContext> sides = plus ? ((PlusValueContext) value).operand()
        : ((MinusValueContext) value).operand();
    Operand left = operand(sides.get(0));
    Operand right = operand(sides.get(1));
    String op = plus ? "+" : "-";
    for (Operand side : List.of(left, right)) {
      if (side instanceof ValueRef v && v.value() != null && !v.value().type().equals("N")) {
        wrongType(op, v.value().type());
        break;
      }
    }
    actions.add(new SetAction(path, left, op.charAt(0), right));
  }

  private DocumentPath path(PathContext ctx) {
    return Paths.build(ctx, context, problems);
  }

  private ValueRef value(String placeholder) {
    AttributeValue value = context.value(placeholder);
    if (value == null) {
      problems.add(Problem.ATTR_VALUE, "An expression attribute value used in expression is not "
          + "defined; attribute value: " + placeholder);
    }
    return new ValueRef(placeholder, value);
  }

  /** ADD takes a number or a set; DELETE a set. */
  private void checkOperand(String operator, AttributeValue value) {
    if (value == null || Values.isSet(value)
        || (operator.equals("ADD") && value instanceof AttributeValue.N)) {
      return;
    }
    problems.add(Problem.OPERAND, "Incorrect operand type for operator or function; operator: "
        + operator + ", operand type: " + Values.typeWord(value));
  }

  private Operand operand(OperandContext ctx) {
    if (ctx instanceof FunctionOperandContext f) {
      return function(f.function());
    } else if (ctx instanceof PathOperandContext p) {
      return new PathRef(path(p.path()));
    } else if (ctx instanceof ValueOperandContext v) {
      return value(v.VALUE().getText());
    }
    return operand(((ParenOperandContext) ctx).operand());
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
    if (args.size() != arity) {
      problems.add(Problem.FUNCTION, "Incorrect number of operands for operator or function; "
          + "operator or function: " + name + ", number of operands: " + args.size());
      return call;
    }
    if (name.equals("if_not_exists")) {
      if (!(args.get(0) instanceof PathRef)) {
        problems.add(Problem.FUNCTION, "Operator or function requires a document path; "
            + "operator or function: " + name);
      }
    } else {
      for (Operand arg : args) {
        if (arg instanceof ValueRef v && v.value() != null && !v.value().type().equals("L")) {
          wrongType(name, v.value().type());
          break;
        }
      }
    }
    return call;
  }

  private void wrongType(String function, String type) {
    problems.add(Problem.FUNCTION, "Incorrect operand type for operator or function; operator "
        + "or function: " + function + ", operand type: " + type);
  }
}
