package fabric.dynamo.expr;

import fabric.core.error.ServiceException;
import fabric.dynamo.model.AttributeValue;
import fabric.dynamo.model.DynamoErrors;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A request's ExpressionAttributeNames ({@code #n} to an attribute name) and
 * ExpressionAttributeValues ({@code :v} to a value), shared by all the expressions of one request
 * (condition, update, filter, projection, key condition). Parsing an expression with it records
 * which placeholders it used; {@link #checkAllUsed()}, called once all of the request's
 * expressions are parsed, refuses the request as DynamoDB does when one was not used.
 *
 * <p>One instance per request: it is not thread-safe and it remembers what was used.
 */
public final class ExpressionContext {
  private static final Pattern NAME_KEY = Pattern.compile("#[A-Za-z0-9_]+");
  private static final Pattern VALUE_KEY = Pattern.compile(":[A-Za-z0-9_]+");

  private final Map<String, String> names;
  private final Map<String, AttributeValue> values;
  private final Set<String> usedNames = new HashSet<>();
  private final Set<String> usedValues = new HashSet<>();
  private int expressions;

  private ExpressionContext(Map<String, String> names, Map<String, AttributeValue> values) {
    this.names = names == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(names));
    this.values = values == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /**
   * The request's maps as it sent them: {@code null} for one it left out. Refuses, as DynamoDB
   * does, a map given empty ("ExpressionAttributeNames must not be empty") and a key that is not
   * a placeholder ("ExpressionAttributeValues contains invalid key: Syntax error; key: \"v\"").
   */
  public static ExpressionContext of(Map<String, String> names,
      Map<String, AttributeValue> values) {
    check("ExpressionAttributeNames", names, NAME_KEY);
    check("ExpressionAttributeValues", values, VALUE_KEY);
    return new ExpressionContext(names, values);
  }

  /** For a request without ExpressionAttributeNames or ExpressionAttributeValues. */
  public static ExpressionContext empty() {
    return new ExpressionContext(null, null);
  }

  private static void check(String parameter, Map<String, ?> map, Pattern key) {
    if (map == null) {
      return;
    }
    if (map.isEmpty()) {
      throw DynamoErrors.validation(parameter + " must not be empty");
    }
    for (String k : map.keySet()) {
      if (k == null || !key.matcher(k).matches()) {
        throw DynamoErrors.validation(
            parameter + " contains invalid key: Syntax error; key: \"" + k + "\"");
      }
    }
  }

  /**
   * Refuses the request if it gave a placeholder none of its expressions used, or gave
   * placeholders but no expression at all. Call it after parsing every expression of the request.
   */
  public void checkAllUsed() {
    if (expressions == 0) {
      if (names != null) {
        throw DynamoErrors.validation(
            "ExpressionAttributeNames can only be specified when using expressions");
      }
      if (values != null) {
        throw DynamoErrors.validation(
            "ExpressionAttributeValues can only be specified when using expressions");
      }
      return;
    }
    ServiceException unusedNames = unused("ExpressionAttributeNames", names, usedNames);
    if (unusedNames != null) {
      throw unusedNames;
    }
    ServiceException unusedValues = unused("ExpressionAttributeValues", values, usedValues);
    if (unusedValues != null) {
      throw unusedValues;
    }
  }

  private static ServiceException unused(String parameter, Map<String, ?> map, Set<String> used) {
    if (map == null) {
      return null;
    }
    Set<String> unused = new TreeSet<>(map.keySet());
    unused.removeAll(used);
    if (unused.isEmpty()) {
      return null;
    }
    return DynamoErrors.validation("Value provided in " + parameter
        + " unused in expressions: keys: {" + String.join(", ", unused) + "}");
  }

  /** The attribute name a {@code #placeholder} stands for, or null if the request lacks it. */
  String name(String placeholder) {
    String name = names == null ? null : names.get(placeholder);
    if (name != null) {
      usedNames.add(placeholder);
    }
    return name;
  }

  /** The value a {@code :placeholder} stands for, or null if the request lacks it. */
  AttributeValue value(String placeholder) {
    AttributeValue value = values == null ? null : values.get(placeholder);
    if (value != null) {
      usedValues.add(placeholder);
    }
    return value;
  }

  /** Called for each expression parsed with this context. */
  void expressionParsed() {
    expressions++;
  }

  /** The placeholders used so far, for tests and diagnostics. */
  List<String> used() {
    List<String> all = new ArrayList<>(new TreeSet<>(usedNames));
    all.addAll(new TreeSet<>(usedValues));
    return all;
  }
}
