package fabric.dynamo.expr;

import fabric.dynamo.model.AttributeValue;
import java.util.Set;

/** Comparisons and measures of attribute values as DynamoDB's expressions define them. */
final class Values {
  /** attribute_type's type names. */
  static final Set<String> TYPE_NAMES =
      Set.of("S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M");

  private Values() {}

  /** Equal values of the same type (numbers by value, sets as sets); never equal to nothing. */
  static boolean equal(AttributeValue a, AttributeValue b) {
    return a != null && b != null && a.equals(b);
  }

  /**
   * The order of two values of the same ordered type: S by UTF-8 bytes (which is code point
   * order), N by value, B by unsigned bytes. Null when they can't be ordered (other types,
   * mixed types, missing values): such comparisons are false, not errors.
   */
  static Integer compare(AttributeValue a, AttributeValue b) {
    if (a instanceof AttributeValue.S x && b instanceof AttributeValue.S y) {
      return compareStrings(x.value(), y.value());
    }
    if (a instanceof AttributeValue.N x && b instanceof AttributeValue.N y) {
      return x.value().compareTo(y.value());
    }
    if (a instanceof AttributeValue.B x && b instanceof AttributeValue.B y) {
      return x.value().compareTo(y.value());
    }
    return null;
  }

  static boolean orderable(AttributeValue v) {
    return v instanceof AttributeValue.S || v instanceof AttributeValue.N
        || v instanceof AttributeValue.B;
  }

  /** UTF-8 byte order, without encoding: it is the order of the code points. */
  static int compareStrings(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int x = a.codePointAt(i);
      int y = b.codePointAt(j);
      if (x != y) {
        return Integer.compare(x, y);
      }
      i += Character.charCount(x);
      j += Character.charCount(y);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /**
   * size(): a string's length (DynamoDB counts UTF-16 code units, as Java's length does), a
   * binary's bytes, the elements of a set, list or map; null for the other types.
   */
  static Integer size(AttributeValue v) {
    if (v instanceof AttributeValue.S s) {
      return s.value().length();
    } else if (v instanceof AttributeValue.B b) {
      return b.value().length();
    } else if (v instanceof AttributeValue.SS ss) {
      return ss.values().size();
    } else if (v instanceof AttributeValue.NS ns) {
      return ns.values().size();
    } else if (v instanceof AttributeValue.BS bs) {
      return bs.values().size();
    } else if (v instanceof AttributeValue.L l) {
      return l.values().size();
    } else if (v instanceof AttributeValue.M m) {
      return m.values().size();
    }
    return null;
  }

  /** begins_with: a string prefix of a string, or a byte prefix of a binary. */
  static boolean beginsWith(AttributeValue value, AttributeValue prefix) {
    if (value instanceof AttributeValue.S s && prefix instanceof AttributeValue.S p) {
      return s.value().startsWith(p.value());
    }
    if (value instanceof AttributeValue.B b && prefix instanceof AttributeValue.B p) {
      return b.value().startsWith(p.value());
    }
    return false;
  }

  /**
   * contains: a substring of a string, a subsequence of a binary, a member of a set (of the
   * set's element type), an element of a list.
   */
  static boolean contains(AttributeValue value, AttributeValue part) {
    if (value == null || part == null) {
      return false;
    }
    if (value instanceof AttributeValue.S s) {
      return part instanceof AttributeValue.S p && s.value().contains(p.value());
    } else if (value instanceof AttributeValue.B b) {
      return part instanceof AttributeValue.B p && b.value().contains(p.value());
    } else if (value instanceof AttributeValue.SS ss) {
      return part instanceof AttributeValue.S p && ss.values().contains(p.value());
    } else if (value instanceof AttributeValue.NS ns) {
      return part instanceof AttributeValue.N p && ns.values().contains(p.value());
    } else if (value instanceof AttributeValue.BS bs) {
      return part instanceof AttributeValue.B p && bs.values().contains(p.value());
    } else if (value instanceof AttributeValue.L l) {
      return l.values().contains(part);
    }
    return false;
  }

  /** How DynamoDB prints a value in its BETWEEN messages: {@code {N:1}}, {@code {S:a}}. */
  static String describe(AttributeValue v) {
    String text;
    if (v instanceof AttributeValue.S s) {
      text = s.value();
    } else if (v instanceof AttributeValue.N n) {
      text = n.value().text();
    } else if (v instanceof AttributeValue.B b) {
      text = b.value().base64();
    } else {
      text = String.valueOf(v);
    }
    return "{" + v.type() + ":" + text + "}";
  }

  /** The type words of ADD's and DELETE's messages ("operand type: STRING"). */
  static String typeWord(AttributeValue v) {
    return switch (v.type()) {
      case "S" -> "STRING";
      case "N" -> "NUMBER";
      case "B" -> "BINARY";
      case "BOOL" -> "BOOLEAN";
      case "NULL" -> "NULL";
      case "L" -> "LIST";
      case "M" -> "MAP";
      default -> v.type();
    };
  }

  static boolean isSet(AttributeValue v) {
    return v instanceof AttributeValue.SS || v instanceof AttributeValue.NS
        || v instanceof AttributeValue.BS;
  }
}
