package fabric.dynamo.expr;

import fabric.dynamo.model.AttributeValue;
import fabric.dynamo.model.Item;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A document path as expressions write it, {@code a.b[3].c}, with its placeholders resolved: a
 * top-level attribute name, then map keys and list indexes. Immutable; equal when the elements
 * are.
 */
public record DocumentPath(List<Element> elements) {

  /** One step of a path: a map key (or the top-level attribute name) or a list index. */
  public sealed interface Element permits Name, Index {}

  /** A map key, or the attribute name at the top. May be any string (from a placeholder). */
  public record Name(String name) implements Element {
    @Override
    public String toString() {
      return name;
    }
  }

  /** A list index, from 0. */
  public record Index(int index) implements Element {
    public Index {
      if (index < 0) {
        throw new IllegalArgumentException("negative list index " + index);
      }
    }

    @Override
    public String toString() {
      return "[" + index + "]";
    }
  }

  public DocumentPath {
    elements = List.copyOf(elements);
    if (elements.isEmpty() || !(elements.get(0) instanceof Name)) {
      throw new IllegalArgumentException("a document path starts with an attribute name");
    }
  }

  /**
   * A path from its steps: a {@code String} for a name or map key, an {@code Integer} for a list
   * index: {@code DocumentPath.of("a", "b", 3)} is {@code a.b[3]}.
   */
  public static DocumentPath of(Object... steps) {
    List<Element> elements = new ArrayList<>(steps.length);
    for (Object step : steps) {
      if (step instanceof String s) {
        elements.add(new Name(s));
      } else if (step instanceof Integer i) {
        elements.add(new Index(i));
      } else {
        throw new IllegalArgumentException("a path step is a String or an Integer: " + step);
      }
    }
    return new DocumentPath(elements);
  }

  /** The top-level attribute the path starts at. */
  public String attributeName() {
    return ((Name) elements.get(0)).name();
  }

  public int size() {
    return elements.size();
  }

  /** The value at this path in the item, or null where there is none (or no item). */
  public AttributeValue get(Item itemOrNull) {
    if (itemOrNull == null) {
      return null;
    }
    AttributeValue value = itemOrNull.get(attributeName());
    for (int i = 1; i < elements.size() && value != null; i++) {
      value = step(value, elements.get(i));
    }
    return value;
  }

  private static AttributeValue step(AttributeValue value, Element element) {
    if (element instanceof Name n) {
      return value instanceof AttributeValue.M m ? m.values().get(n.name()) : null;
    }
    int index = ((Index) element).index();
    return value instanceof AttributeValue.L l && index < l.values().size()
        ? l.values().get(index) : null;
  }

  /**
   * The item with {@code value} at this path, as UpdateExpression's {@code SET path = value}
   * does: a list index past the end appends. Throws DynamoDB's "The document path provided in
   * the update expression is invalid for update" where the path's parent is missing or of
   * another type.
   */
  public Item set(Item itemOrNull, AttributeValue value) {
    return PathTree.apply(itemOrNull, List.of(new PathTree.Mutation(this, old -> value)));
  }

  /**
   * The item without the value at this path, as UpdateExpression's {@code REMOVE path} does:
   * a removed list element shifts the following ones down; removing what isn't there does
   * nothing, but a missing parent is refused as for {@link #set}.
   */
  public Item remove(Item itemOrNull) {
    return PathTree.apply(itemOrNull, List.of(new PathTree.Mutation(this, old -> null)));
  }

  /** DynamoDB's way of writing a path in its messages: {@code [a, b, [3], c]}. */
  String describe() {
    return elements.stream().map(Element::toString).collect(Collectors.joining(", ", "[", "]"));
  }

  /** The path as an expression would write it, names unescaped: {@code a.b[3].c}. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (Element e : elements) {
      if (e instanceof Name n && out.length() > 0) {
        out.append('.');
      }
      out.append(e);
    }
    return out.toString();
  }
}
