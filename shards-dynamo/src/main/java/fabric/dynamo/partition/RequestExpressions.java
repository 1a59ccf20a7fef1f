package fabric.dynamo.partition;

import fabric.core.serialization.CborSerializable;
import fabric.dynamo.expr.Condition;
import fabric.dynamo.expr.ExpressionContext;
import fabric.dynamo.expr.KeyCondition;
import fabric.dynamo.expr.Projection;
import fabric.dynamo.expr.Update;
import fabric.dynamo.model.AttributeValue;
import fabric.dynamo.model.KeySchema;
import java.util.Map;

/**
 * A request's expressions as the caller sent them (null = absent), with its
 * ExpressionAttributeNames and ExpressionAttributeValues. They travel as text to the
 * partition that evaluates them; {@link #parse} checks them all in one context, as DynamoDB
 * does (an unused placeholder is an error), so the service calls it once before sending
 * and the partition again where it evaluates (parsing is deterministic).
 */
public record RequestExpressions(String condition, String update, String projection,
    String filter, String keyCondition, Map<String, String> names,
    Map<String, AttributeValue> values) implements CborSerializable {
  public static final RequestExpressions NONE =
      new RequestExpressions(null, null, null, null, null, null, null);

  public static RequestExpressions condition(String condition, Map<String, String> names,
      Map<String, AttributeValue> values) {
    return new RequestExpressions(condition, null, null, null, null, names, values);
  }

  /** The parsed expressions; null where the request had none. */
  public record Parsed(Condition condition, Update update, Projection projection,
      Condition filter, KeyCondition keyCondition) {}

  /** Parses every expression in one context; ValidationException on any problem. */
  public Parsed parse(KeySchema keys) {
    ExpressionContext ctx = ExpressionContext.of(names, values);
    KeyCondition key = keyCondition == null ? null : KeyCondition.parse(keyCondition, ctx,
        schema(keys));
    Parsed parsed = new Parsed(
        condition == null ? null : Condition.parse(condition, ctx),
        update == null ? null : Update.parse(update, ctx),
        projection == null ? null : Projection.parse(projection, ctx),
        filter == null ? null : Condition.parseFilter(filter, ctx),
        key);
    ctx.checkAllUsed();
    return parsed;
  }

  private static KeyCondition.Schema schema(KeySchema keys) {
    KeyCondition.Schema s = KeyCondition.Schema.hash(keys.hashName(), keys.hashType());
    return keys.hasRange() ? s.withRange(keys.rangeName(), keys.rangeType()) : s;
  }
}
