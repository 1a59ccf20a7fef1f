package fabric.dynamo.expr;

import fabric.dynamo.model.AttributeValue;
import fabric.dynamo.model.DynamoNumber;
import fabric.dynamo.model.Item;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The parsed form of conditions (and the operands updates share): immutable records, evaluated
 * against an item, printable back to expression text.
 */
final class Ast {
  private Ast() {}

  // ---- operands ----

  sealed interface Operand permits PathRef, ValueRef, Call {}

  /** An attribute at a document path: its value, or nothing. */
  record PathRef(DocumentPath path) implements Operand {}

  /** An ExpressionAttributeValues placeholder and its value (null only while reporting errors). */
  record ValueRef(String placeholder, AttributeValue value) implements Operand {}

  /** A function applied to operands: size() in conditions, if_not_exists()/list_append() in updates. */
  record Call(String name, List<Operand> args) implements Operand {
    Call {
      args = List.copyOf(args);
    }
  }

  // ---- conditions ----

  sealed interface Cond permits Compare, Between, In, And, Or, Not, Function {}

  enum Comparator {
    EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">=");

    final String symbol;

    Comparator(String symbol) {
      this.symbol = symbol;
    }

    static Comparator of(String symbol) {
      for (Comparator c : values()) {
        if (c.symbol.equals(symbol)) {
          return c;
        }
      }
      throw new IllegalArgumentException(symbol);
    }

    /** The comparator with its operands swapped: {@code a < b} is {@code b > a}. */
    Comparator flipped() {
      return switch (this) {
        case LT -> GT;
        case LE -> GE;
        case GT -> LT;
        case GE -> LE;
        default -> this;
      };
    }

    boolean test(AttributeValue left, AttributeValue right) {
      if (this == EQ) {
        return Values.equal(left, right);
      }
      if (this == NE) {
        // DynamoDB: different types, or a missing attribute, are "not equal".
        return !Values.equal(left, right);
      }
      Integer order = Values.compare(left, right);
      if (order == null) {
        return false;
      }
      return switch (this) {
        case LT -> order < 0;
        case LE -> order <= 0;
        case GT -> order > 0;
        case GE -> order >= 0;
        default -> throw new IllegalStateException();
      };
    }
  }

  record Compare(Comparator op, Operand left, Operand right) implements Cond {}

  record Between(Operand operand, Operand lower, Operand upper) implements Cond {}

  record In(Operand operand, List<Operand> candidates) implements Cond {
    In {
      candidates = List.copyOf(candidates);
    }
  }

  record And(Cond left, Cond right) implements Cond {}

  record Or(Cond left, Cond right) implements Cond {}

  record Not(Cond operand) implements Cond {}

  /** attribute_exists, attribute_not_exists, attribute_type, begins_with, contains. */
  record Function(String name, List<Operand> args) implements Cond {
    Function {
      args = List.copyOf(args);
    }
  }

  // ---- evaluation ----

  static boolean test(Cond cond, Item item) {
    if (cond instanceof Compare c) {
      return c.op().test(eval(c.left(), item), eval(c.right(), item));
    } else if (cond instanceof Between b) {
      AttributeValue v = eval(b.operand(), item);
      Integer low = Values.compare(eval(b.lower(), item), v);
      Integer high = Values.compare(v, eval(b.upper(), item));
      return low != null && high != null && low <= 0 && high <= 0;
    } else if (cond instanceof In in) {
      AttributeValue v = eval(in.operand(), item);
      for (Operand candidate : in.candidates()) {
        if (Values.equal(v, eval(candidate, item))) {
          return true;
        }
      }
      return false;
    } else if (cond instanceof And and) {
      return test(and.left(), item) && test(and.right(), item);
    } else if (cond instanceof Or or) {
      return test(or.left(), item) || test(or.right(), item);
    } else if (cond instanceof Not not) {
      return !test(not.operand(), item);
    }
    Function f = (Function) cond;
    List<Operand> args = f.args();
    return switch (f.name()) {
      case "attribute_exists" -> eval(args.get(0), item) != null;
      case "attribute_not_exists" -> eval(args.get(0), item) == null;
      case "attribute_type" -> {
        AttributeValue v = eval(args.get(0), item);
        yield v != null && eval(args.get(1), item) instanceof AttributeValue.S t
            && v.type().equals(t.value());
      }
      case "begins_with" -> Values.beginsWith(eval(args.get(0), item), eval(args.get(1), item));
      case "contains" -> Values.contains(eval(args.get(0), item), eval(args.get(1), item));
      default -> throw new IllegalStateException("unknown function " + f.name());
    };
  }

  /** A condition operand's value in the item; null for a missing attribute. */
  static AttributeValue eval(Operand operand, Item item) {
    if (operand instanceof PathRef p) {
      return p.path().get(item);
    } else if (operand instanceof ValueRef v) {
      return v.value();
    }
    Call call = (Call) operand;
    if (!call.name().equals("size")) {
      throw new IllegalStateException("not a condition operand: " + call.name());
    }
    Integer size = Values.size(eval(call.args().get(0), item));
    return size == null ? null : new AttributeValue.N(DynamoNumber.of(size));
  }

  // ---- printing ----

  /** Expression text that parses back to the same tree (names written bare). */
  static String print(Cond cond) {
    StringBuilder out = new StringBuilder();
    print(cond, out);
    return out.toString();
  }

  private static int precedence(Cond c) {
    if (c instanceof Or) {
      return 1;
    } else if (c instanceof And) {
      return 2;
    } else if (c instanceof Not) {
      return 3;
    }
    return 4;
  }

  private static void printChild(Cond child, int atLeast, StringBuilder out) {
    if (precedence(child) < atLeast) {
      out.append('(');
      print(child, out);
      out.append(')');
    } else {
      print(child, out);
    }
  }

  private static void print(Cond cond, StringBuilder out) {
    if (cond instanceof Or or) {
      printChild(or.left(), 1, out);
      out.append(" OR ");
      printChild(or.right(), 2, out);
    } else if (cond instanceof And and) {
      printChild(and.left(), 2, out);
      out.append(" AND ");
      printChild(and.right(), 3, out);
    } else if (cond instanceof Not not) {
      out.append("NOT ");
      printChild(not.operand(), 3, out);
    } else if (cond instanceof Compare c) {
      out.append(print(c.left())).append(' ').append(c.op().symbol).append(' ')
          .append(print(c.right()));
    } else if (cond instanceof Between b) {
      out.append(print(b.operand())).append(" BETWEEN ").append(print(b.lower()))
          .append(" AND ").append(print(b.upper()));
    } else if (cond instanceof In in) {
      out.append(print(in.operand())).append(" IN (")
          .append(in.candidates().stream().map(Ast::print).collect(Collectors.joining(", ")))
          .append(')');
    } else {
      Function f = (Function) cond;
      out.append(f.name()).append('(')
          .append(f.args().stream().map(Ast::print).collect(Collectors.joining(", ")))
          .append(')');
    }
  }

  static String print(Operand operand) {
    if (operand instanceof PathRef p) {
      return p.path().toString();
    } else if (operand instanceof ValueRef v) {
      return v.placeholder();
    }
    Call call = (Call) operand;
    return call.name() + "("
        + call.args().stream().map(Ast::print).collect(Collectors.joining(", ")) + ")";
  }
}
