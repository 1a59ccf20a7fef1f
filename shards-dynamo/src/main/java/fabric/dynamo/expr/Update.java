package fabric.dynamo.expr;

import fabric.core.error.ServiceException;
import fabric.dynamo.expr.Ast.Call;
import fabric.dynamo.expr.Ast.Operand;
import fabric.dynamo.expr.Ast.PathRef;
import fabric.dynamo.expr.Ast.ValueRef;
import fabric.dynamo.expr.UpdateBuilder.Action;
import fabric.dynamo.expr.UpdateBuilder.AddAction;
import fabric.dynamo.expr.UpdateBuilder.DeleteAction;
import fabric.dynamo.expr.UpdateBuilder.RemoveAction;
import fabric.dynamo.expr.UpdateBuilder.SetAction;
import fabric.dynamo.model.AttributeValue;
import fabric.dynamo.model.Bytes;
import fabric.dynamo.model.DynamoErrors;
import fabric.dynamo.model.DynamoNumber;
import fabric.dynamo.model.Item;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A parsed UpdateExpression: {@code SET} (path = operand, operand + operand, operand - operand,
 * if_not_exists, list_append), {@code REMOVE}, {@code ADD} (numbers, sets) and {@code DELETE}
 * (sets), each section at most once. Parsing makes DynamoDB's static checks; {@link #apply}
 * makes the checks that need the item. Immutable and thread-safe once parsed.
 */
public final class Update {
  private final List<Action> actions;

  private Update(List<Action> actions) {
    this.actions = actions;
  }

  public static Update parse(String expression, ExpressionContext context) {
    return new Update(UpdateBuilder.parse(expression, context));
  }

  /**
   * An applied update: the new item, and what ReturnValues UPDATED_OLD and UPDATED_NEW return,
   * the old and new item projected on the updated paths (a nested path returns only its part of
   * the top-level attribute, as DynamoDB does). ALL_OLD and ALL_NEW are the old and new items.
   */
  public record Result(Item item, Item updatedOld, Item updatedNew) {}

  /** The document paths the update writes, in the order written. */
  public List<DocumentPath> paths() {
    return actions.stream().map(Action::path).toList();
  }

  /** The top-level attributes the update writes (for the key check and index maintenance). */
  public Set<String> attributeNames() {
    Set<String> names = new LinkedHashSet<>();
    actions.forEach(a -> names.add(a.path().attributeName()));
    return names;
  }

  /**
   * Refuses an update that writes a key attribute: "One or more parameter values were invalid:
   * Cannot update attribute pk. This attribute is part of the key". {@link #apply} checks it
   * too; a caller may check it before reading the item.
   */
  public void checkKeyNotUpdated(Set<String> keyAttributes) {
    for (Action action : actions) {
      String name = action.path().attributeName();
      if (keyAttributes.contains(name)) {
        throw DynamoErrors.validation("One or more parameter values were invalid: Cannot update "
            + "attribute " + name + ". This attribute is part of the key");
      }
    }
  }

  /**
   * Applies the update to an item. Every operand reads the item as it was (so {@code SET a = b,
   * b = a} swaps), list indexes are the old positions, a SET or ADD past a list's end appends.
   *
   * @param item the stored item; for an item that does not exist yet, its key attributes
   *     alone (DynamoDB evaluates a new item's update against its key); null is an empty item
   * @param keyAttributes the key attribute names, which the update may not write
   * @throws ServiceException DynamoDB's ValidationException: a key attribute written, an
   *     operand naming a missing attribute ("The provided expression refers to an attribute
   *     that does not exist in the item"), a path through a missing or mistyped parent ("The
   *     document path provided in the update expression is invalid for update"), operands of
   *     the wrong type ("An operand in the update expression has an incorrect data type"), a
   *     number out of DynamoDB's range. The caller checks the new item's size.
   */
  public Result apply(Item item, Set<String> keyAttributes) {
    checkKeyNotUpdated(keyAttributes);
    Item old = item == null ? new Item(Map.of()) : item;
    List<PathTree.Mutation> mutations = new ArrayList<>();
    List<DocumentPath> written = new ArrayList<>();
    for (Action action : actions) {
      mutations.add(new PathTree.Mutation(action.path(), change(action, old)));
      if (!(action instanceof RemoveAction)) {
        written.add(action.path());
      }
    }
    Item updated = PathTree.apply(old, mutations);
    return new Result(updated, PathTree.project(old, paths()), PathTree.project(updated, written));
  }

  private static UnaryOperator<AttributeValue> change(Action action, Item old) {
    if (action instanceof SetAction set) {
      AttributeValue value = value(set, old);
      return current -> value;
    } else if (action instanceof RemoveAction) {
      return current -> null;
    } else if (action instanceof AddAction add) {
      return current -> add(current, add.value());
    }
    AttributeValue removed = ((DeleteAction) action).value();
    return current -> delete(current, removed);
  }

  private static AttributeValue value(SetAction set, Item old) {
    AttributeValue left = operand(set.left(), old);
    if (set.op() == ' ') {
      return left;
    }
    AttributeValue right = operand(set.right(), old);
    if (!(left instanceof AttributeValue.N l) || !(right instanceof AttributeValue.N r)) {
      throw incorrectType();
    }
    return new AttributeValue.N(set.op() == '+' ? l.value().plus(r.value())
        : l.value().minus(r.value()));
  }

  private static AttributeValue operand(Operand operand, Item old) {
    if (operand instanceof ValueRef v) {
      return v.value();
    } else if (operand instanceof PathRef p) {
      AttributeValue value = p.path().get(old);
      if (value == null) {
        throw DynamoErrors.validation(
            "The provided expression refers to an attribute that does not exist in the item");
      }
      return value;
    }
    Call call = (Call) operand;
    if (call.name().equals("if_not_exists")) {
      AttributeValue existing = ((PathRef) call.args().get(0)).path().get(old);
      return existing != null ? existing : operand(call.args().get(1), old);
    }
    AttributeValue first = operand(call.args().get(0), old);
    AttributeValue second = operand(call.args().get(1), old);
    if (!(first instanceof AttributeValue.L a) || !(second instanceof AttributeValue.L b)) {
      throw incorrectType();
    }
    List<AttributeValue> both = new ArrayList<>(a.values());
    both.addAll(b.values());
    return new AttributeValue.L(both);
  }

  /** ADD: a sum, or a set union; on nothing, the value itself. */
  private static AttributeValue add(AttributeValue current, AttributeValue value) {
    if (current == null) {
      return value;
    }
    if (current instanceof AttributeValue.N c && value instanceof AttributeValue.N v) {
      return new AttributeValue.N(c.value().plus(v.value()));
    }
    if (current instanceof AttributeValue.SS c && value instanceof AttributeValue.SS v) {
      return new AttributeValue.SS(union(c.values(), v.values()));
    }
    if (current instanceof AttributeValue.NS c && value instanceof AttributeValue.NS v) {
      return new AttributeValue.NS(union(c.values(), v.values()));
    }
    if (current instanceof AttributeValue.BS c && value instanceof AttributeValue.BS v) {
      return new AttributeValue.BS(union(c.values(), v.values()));
    }
    throw incorrectType();
  }

  /** DELETE: a set difference; a set left empty is removed; on nothing, nothing. */
  private static AttributeValue delete(AttributeValue current, AttributeValue value) {
    if (current == null) {
      return null;
    }
    if (current instanceof AttributeValue.SS c && value instanceof AttributeValue.SS v) {
      Set<String> left = minus(c.values(), v.values());
      return left.isEmpty() ? null : new AttributeValue.SS(left);
    }
    if (current instanceof AttributeValue.NS c && value instanceof AttributeValue.NS v) {
      Set<DynamoNumber> left = minus(c.values(), v.values());
      return left.isEmpty() ? null : new AttributeValue.NS(left);
    }
    if (current instanceof AttributeValue.BS c && value instanceof AttributeValue.BS v) {
      Set<Bytes> left = minus(c.values(), v.values());
      return left.isEmpty() ? null : new AttributeValue.BS(left);
    }
    throw incorrectType();
  }

  private static <T> Set<T> union(Set<T> a, Set<T> b) {
    Set<T> out = new LinkedHashSet<>(a);
    out.addAll(b);
    return out;
  }

  private static <T> Set<T> minus(Set<T> a, Set<T> b) {
    Set<T> out = new LinkedHashSet<>(a);
    out.removeAll(b);
    return out;
  }

  private static ServiceException incorrectType() {
    return DynamoErrors.validation(
        "An operand in the update expression has an incorrect data type");
  }

  @Override
  public String toString() {
    return actions.toString();
  }
}
