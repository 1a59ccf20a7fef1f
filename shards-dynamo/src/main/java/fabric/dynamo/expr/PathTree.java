package fabric.dynamo.expr;

import fabric.dynamo.expr.DocumentPath.Element;
import fabric.dynamo.expr.DocumentPath.Index;
import fabric.dynamo.expr.DocumentPath.Name;
import fabric.dynamo.model.AttributeValue;
import fabric.dynamo.model.DynamoErrors;
import fabric.dynamo.model.Item;
import fabric.core.error.ServiceException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Changes and projections of an item at several document paths at once, the way DynamoDB
 * applies an update expression: every path refers to the item as it was, so list indexes are the
 * old positions (REMOVE a[0], a[2] removes the old first and third elements), and an index past
 * the end of a list appends, in index order.
 */
final class PathTree {
  private PathTree() {}

  /**
   * A change at one path: the function gets the value there (null if none) and returns the new
   * value (null to remove it). Paths of one batch never overlap (the parsers refuse that).
   */
  record Mutation(DocumentPath path, UnaryOperator<AttributeValue> change) {}

  static ServiceException invalidPath() {
    return DynamoErrors.validation(
        "The document path provided in the update expression is invalid for update");
  }

  static Item apply(Item itemOrNull, List<Mutation> mutations) {
    Map<String, AttributeValue> attributes =
        itemOrNull == null ? new LinkedHashMap<>() : new LinkedHashMap<>(itemOrNull.attributes());
    applyToMap(attributes, mutations, 0);
    return new Item(attributes);
  }

  private static Map<Element, List<Mutation>> groupBy(List<Mutation> mutations, int depth) {
    Map<Element, List<Mutation>> groups = new LinkedHashMap<>();
    for (Mutation m : mutations) {
      groups.computeIfAbsent(m.path().elements().get(depth), k -> new ArrayList<>()).add(m);
    }
    return groups;
  }

  private static void applyToMap(Map<String, AttributeValue> map, List<Mutation> mutations,
      int depth) {
    for (Map.Entry<Element, List<Mutation>> group : groupBy(mutations, depth).entrySet()) {
      if (!(group.getKey() instanceof Name name)) {
        throw invalidPath();
      }
      AttributeValue next = applyAt(map.get(name.name()), group.getValue(), depth + 1);
      if (next == null) {
        map.remove(name.name());
      } else {
        map.put(name.name(), next);
      }
    }
  }

  /** The new value at a node that {@code consumed} path elements lead to. */
  private static AttributeValue applyAt(AttributeValue current, List<Mutation> mutations,
      int consumed) {
    Mutation first = mutations.get(0);
    if (first.path().size() == consumed) {
      return first.change().apply(current);
    }
    if (first.path().elements().get(consumed) instanceof Name) {
      if (!(current instanceof AttributeValue.M m)) {
        throw invalidPath();
      }
      Map<String, AttributeValue> copy = new LinkedHashMap<>(m.values());
      applyToMap(copy, mutations, consumed);
      return new AttributeValue.M(copy);
    }
    if (!(current instanceof AttributeValue.L l)) {
      throw invalidPath();
    }
    return new AttributeValue.L(applyToList(l.values(), mutations, consumed));
  }

  private static List<AttributeValue> applyToList(List<AttributeValue> values,
      List<Mutation> mutations, int depth) {
    Map<Integer, AttributeValue> replaced = new HashMap<>();
    TreeMap<Integer, AttributeValue> appended = new TreeMap<>();
    for (Map.Entry<Element, List<Mutation>> group : groupBy(mutations, depth).entrySet()) {
      if (!(group.getKey() instanceof Index index)) {
        throw invalidPath();
      }
      int i = index.index();
      if (i < values.size()) {
        replaced.put(i, applyAt(values.get(i), group.getValue(), depth + 1));
        continue;
      }
      Mutation only = group.getValue().get(0);
      if (only.path().size() != depth + 1) {
        throw invalidPath(); // a path through an element that isn't there
      }
      AttributeValue added = only.change().apply(null);
      if (added != null) {
        appended.put(i, added);
      }
    }
    List<AttributeValue> out = new ArrayList<>(values.size() + appended.size());
    for (int i = 0; i < values.size(); i++) {
      if (!replaced.containsKey(i)) {
        out.add(values.get(i));
      } else if (replaced.get(i) != null) {
        out.add(replaced.get(i));
      }
    }
    out.addAll(appended.values());
    return out;
  }

  /**
   * The parts of an item at the given paths, as ProjectionExpression returns them: maps keep
   * only the projected keys, lists only the projected elements (in index order, so the list
   * is compacted); a path to nothing contributes nothing.
   */
  static Item project(Item item, Collection<DocumentPath> paths) {
    Node root = new Node();
    for (DocumentPath path : paths) {
      Node node = root;
      for (Element e : path.elements()) {
        node = node.children.computeIfAbsent(e, k -> new Node());
      }
      node.whole = true;
    }
    Map<String, AttributeValue> out = new LinkedHashMap<>();
    if (item != null) {
      for (Map.Entry<String, AttributeValue> e : item.attributes().entrySet()) {
        Node child = root.children.get(new Name(e.getKey()));
        AttributeValue v = child == null ? null : project(e.getValue(), child);
        if (v != null) {
          out.put(e.getKey(), v);
        }
      }
    }
    return new Item(out);
  }

  private static AttributeValue project(AttributeValue value, Node node) {
    if (node.whole) {
      return value;
    }
    if (value instanceof AttributeValue.M m) {
      Map<String, AttributeValue> out = new LinkedHashMap<>();
      for (Map.Entry<String, AttributeValue> e : m.values().entrySet()) {
        Node child = node.children.get(new Name(e.getKey()));
        AttributeValue v = child == null ? null : project(e.getValue(), child);
        if (v != null) {
          out.put(e.getKey(), v);
        }
      }
      return out.isEmpty() ? null : new AttributeValue.M(out);
    }
    if (value instanceof AttributeValue.L l) {
      List<AttributeValue> out = new ArrayList<>();
      for (int i = 0; i < l.values().size(); i++) {
        Node child = node.children.get(new Index(i));
        AttributeValue v = child == null ? null : project(l.values().get(i), child);
        if (v != null) {
          out.add(v);
        }
      }
      return out.isEmpty() ? null : new AttributeValue.L(out);
    }
    return null;
  }

  private static final class Node {
    final Map<Element, Node> children = new HashMap<>();
    boolean whole;
  }
}
