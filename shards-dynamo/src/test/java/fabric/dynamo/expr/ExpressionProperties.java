package fabric.dynamo.expr;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.core.error.ServiceException;
import fabric.dynamo.expr.Ast.And;
import fabric.dynamo.expr.Ast.Between;
import fabric.dynamo.expr.Ast.Call;
import fabric.dynamo.expr.Ast.Compare;
import fabric.dynamo.expr.Ast.Comparator;
import fabric.dynamo.expr.Ast.Cond;
import fabric.dynamo.expr.Ast.Function;
import fabric.dynamo.expr.Ast.In;
import fabric.dynamo.expr.Ast.Not;
import fabric.dynamo.expr.Ast.Operand;
import fabric.dynamo.expr.Ast.Or;
import fabric.dynamo.expr.Ast.PathRef;
import fabric.dynamo.expr.Ast.ValueRef;
import fabric.dynamo.model.AttributeValue;
import fabric.dynamo.model.Bytes;
import fabric.dynamo.model.DynamoNumber;
import fabric.dynamo.model.Item;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of the expression language: conditions survive printing and re-parsing and agree
 * with an independent reference evaluator; updates obey the set, list and number laws;
 * projections keep exactly the projected values; no input makes a parser fail other than with
 * DynamoDB's ValidationException.
 */
class ExpressionProperties {
  private static final List<String> NAMES = List.of("a", "b", "c", "d", "e");
  private static final List<String> TYPES =
      List.of("S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M");

  // ---------------------------------------------------------------- values and items

  static Arbitrary<AttributeValue> scalar() {
    Arbitrary<AttributeValue> s = Arbitraries.of("", "a", "ab", "b", "é", "\uFFFF",
        "\uD83D\uDE00").map(AttributeValue.S::new);
    Arbitrary<AttributeValue> n = Arbitraries.of("-1", "0", "1", "1.0", "1.5", "10", "1E+2")
        .map(AttributeValue.N::of);
    Arbitrary<AttributeValue> b = Arbitraries.of(new byte[] {}, new byte[] {1},
        new byte[] {1, 2}, new byte[] {(byte) 0x80}, new byte[] {(byte) 0xff})
        .map(x -> new AttributeValue.B(Bytes.of(x)));
    return Arbitraries.frequencyOf(Tuple.of(3, s), Tuple.of(3, n), Tuple.of(2, b),
        Tuple.of(1, Arbitraries.of(true, false).map(AttributeValue.Bool::new)),
        Tuple.of(1, Arbitraries.just(new AttributeValue.Null())));
  }

  static Arbitrary<AttributeValue> value(int depth) {
    Arbitrary<AttributeValue> sets = Arbitraries.oneOf(
        Arbitraries.of("a", "b", "c").set().ofMinSize(1).map(AttributeValue.SS::new),
        Arbitraries.of("1", "2", "3.0").set().ofMinSize(1)
            .map(x -> new AttributeValue.NS(
                x.stream().map(DynamoNumber::parse).collect(Collectors.toSet()))),
        Arbitraries.of(1, 2).set().ofMinSize(1).map(x -> new AttributeValue.BS(
            x.stream().map(i -> Bytes.of(new byte[] {i.byteValue()}))
                .collect(Collectors.toSet()))));
    if (depth == 0) {
      return Arbitraries.frequencyOf(Tuple.of(5, scalar()), Tuple.of(1, sets));
    }
    Arbitrary<AttributeValue> list = value(depth - 1).list().ofMaxSize(3)
        .map(AttributeValue.L::new);
    Arbitrary<AttributeValue> map = Arbitraries.maps(Arbitraries.of("a", "b", "c"),
        value(depth - 1)).ofMaxSize(3).map(AttributeValue.M::new);
    return Arbitraries.frequencyOf(Tuple.of(5, scalar()), Tuple.of(1, sets), Tuple.of(2, list),
        Tuple.of(2, map));
  }

  static Arbitrary<Item> items() {
    return Arbitraries.maps(Arbitraries.of(NAMES), value(2)).ofMaxSize(5).map(Item::new);
  }

  // ---------------------------------------------------------------- condition trees

  /** The placeholders a generated condition may use, with their values. */
  record Pool(Map<String, AttributeValue> values) {
    List<String> keys(String prefix) {
      return values.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
    }

    ValueRef ref(String placeholder) {
      return new ValueRef(placeholder, values.get(placeholder));
    }
  }

  static Arbitrary<Pool> pools() {
    Arbitrary<AttributeValue> strings = scalar().filter(v -> v instanceof AttributeValue.S);
    Arbitrary<AttributeValue> binaries = scalar().filter(v -> v instanceof AttributeValue.B);
    return Combinators.combine(strings, strings, binaries, value(1), value(1), value(1))
        .as((s0, s1, b0, x0, x1, x2) -> {
          Map<String, AttributeValue> values = new LinkedHashMap<>();
          values.put(":s0", s0);
          values.put(":s1", s1);
          values.put(":b0", b0);
          values.put(":x0", x0);
          values.put(":x1", x1);
          values.put(":x2", x2);
          for (String type : TYPES) {
            values.put(":t" + type, new AttributeValue.S(type));
          }
          return new Pool(values);
        });
  }

  static Arbitrary<DocumentPath> paths() {
    Arbitrary<DocumentPath.Element> step = Arbitraries.oneOf(
        Arbitraries.of("a", "b", "c").map(DocumentPath.Name::new),
        Arbitraries.integers().between(0, 2).map(DocumentPath.Index::new));
    return Combinators.combine(Arbitraries.of(NAMES), step.list().ofMaxSize(2))
        .as((first, rest) -> {
          List<DocumentPath.Element> elements = new ArrayList<>();
          elements.add(new DocumentPath.Name(first));
          elements.addAll(rest);
          return new DocumentPath(elements);
        });
  }

  static Arbitrary<Operand> operands(Pool pool) {
    return Arbitraries.frequencyOf(
        Tuple.of(3, paths().map(PathRef::new)),
        Tuple.of(3, Arbitraries.of(pool.keys(":x")).map(pool::ref)),
        Tuple.of(1, Arbitraries.of(pool.keys(":s")).map(pool::ref)),
        Tuple.of(1, paths().map(p -> new Call("size", List.of(new PathRef(p))))));
  }

  /** Operands DynamoDB accepts in begins_with: paths, strings, binaries. */
  static Arbitrary<Operand> prefixes(Pool pool) {
    return Arbitraries.oneOf(paths().map(PathRef::new),
        Arbitraries.of(":s0", ":s1", ":b0").map(pool::ref));
  }

  /** A second operand distinct from a first path, as DynamoDB requires. */
  static Operand distinctFrom(Operand first, Operand second, Pool pool) {
    return second.equals(first) && first instanceof PathRef ? pool.ref(":x0") : second;
  }

  static Arbitrary<Cond> leaves(Pool pool) {
    Arbitrary<Operand> operand = operands(pool);
    Arbitrary<Cond> compare = Combinators.combine(Arbitraries.of(Comparator.class), operand,
        operand).as((op, l, r) -> new Compare(op, l, distinctFrom(l, r, pool)));
    Arbitrary<Cond> between = Combinators.combine(operand, operand, operand)
        .as((x, lo, hi) -> new Between(x, lo,
            lo instanceof ValueRef && hi instanceof ValueRef ? lo : hi));
    Arbitrary<Cond> in = Combinators.combine(operand, operand.list().ofMinSize(1).ofMaxSize(4))
        .as((x, candidates) -> new In(x,
            candidates.stream().map(c -> distinctFrom(x, c, pool)).toList()));
    Arbitrary<Cond> exists = Combinators.combine(
        Arbitraries.of("attribute_exists", "attribute_not_exists"), paths())
        .as((name, p) -> new Function(name, List.of(new PathRef(p))));
    Arbitrary<Cond> type = Combinators.combine(paths(), Arbitraries.of(TYPES))
        .as((p, t) -> new Function("attribute_type", List.of(new PathRef(p),
            pool.ref(":t" + t))));
    Arbitrary<Cond> beginsWith = Combinators.combine(prefixes(pool), prefixes(pool))
        .as((x, p) -> new Function("begins_with",
            List.of(x, p.equals(x) && x instanceof PathRef ? pool.ref(":s0") : p)));
    Arbitrary<Cond> contains = Combinators.combine(operand, operand)
        .as((x, y) -> new Function("contains", List.of(x, distinctFrom(x, y, pool))));
    return Arbitraries.frequencyOf(Tuple.of(4, compare), Tuple.of(1, between), Tuple.of(1, in),
        Tuple.of(1, exists), Tuple.of(1, type), Tuple.of(1, beginsWith), Tuple.of(1, contains));
  }

  static Arbitrary<Cond> conditions(Pool pool, int depth) {
    if (depth == 0) {
      return leaves(pool);
    }
    Arbitrary<Cond> smaller = Arbitraries.lazy(() -> conditions(pool, depth - 1));
    return Arbitraries.frequencyOf(
        Tuple.of(3, leaves(pool)),
        Tuple.of(1, Combinators.combine(smaller, smaller).as(And::new)),
        Tuple.of(1, Combinators.combine(smaller, smaller).as(Or::new)),
        Tuple.of(1, smaller.map(Not::new)));
  }

  record Case(Pool pool, Cond condition, List<Item> items) {
    @Override
    public String toString() {
      return Ast.print(condition) + " with " + pool.values() + " on " + items;
    }
  }

  @Provide
  Arbitrary<Case> conditionCases() {
    return pools().flatMap(pool -> Combinators.combine(conditions(pool, 3),
        items().list().ofSize(5)).as((c, items) -> new Case(pool, c, items)));
  }

  @Property(tries = 400)
  void aConditionPrintedAndReparsedIsTheSameAndEvaluatesLikeTheReference(
      @ForAll("conditionCases") Case c) {
    String text = Ast.print(c.condition());
    Condition parsed = Condition.parse(text, ExpressionContext.of(null, c.pool().values()));
    assertThat(parsed.ast()).as(text).isEqualTo(c.condition());
    assertThat(parsed.toString()).isEqualTo(text);
    for (Item item : c.items()) {
      boolean expected = Reference.test(c.condition(), item);
      assertThat(parsed.test(item)).as(text + " on " + item).isEqualTo(expected);
      Statistics.label("outcome").collect(expected);
    }
    assertThat(parsed.test(null)).isEqualTo(Reference.test(c.condition(), null));
  }

  @Provide
  Arbitrary<String> unicode() {
    Arbitrary<Integer> codePoint = Arbitraries.oneOf(
        Arbitraries.integers().between(0x20, 0x7f),
        Arbitraries.integers().between(0x80, 0x7ff),
        Arbitraries.integers().between(0xe000, 0xffff),
        Arbitraries.integers().between(0x10000, 0x10ffff));
    return codePoint.list().ofMaxSize(4).map(cps -> {
      StringBuilder out = new StringBuilder();
      cps.forEach(out::appendCodePoint);
      return out.toString();
    });
  }

  @Property(tries = 500)
  void stringsOrderByTheirUtf8Bytes(@ForAll("unicode") String a, @ForAll("unicode") String b) {
    int expected = Integer.signum(Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
        b.getBytes(StandardCharsets.UTF_8)));
    AttributeValue x = new AttributeValue.S(a);
    AttributeValue y = new AttributeValue.S(b);
    assertThat(Integer.signum(Values.compare(x, y))).isEqualTo(expected);
    ExpressionContext context = ExpressionContext.of(null, Map.of(":b", y));
    assertThat(Condition.parse("a < :b", context).test(new Item(Map.of("a", x))))
        .isEqualTo(expected < 0);
  }

  // ---------------------------------------------------------------- updates

  private static AttributeValue.L strings(List<String> values) {
    return new AttributeValue.L(values.stream().map(v -> (AttributeValue) new AttributeValue.S(v))
        .toList());
  }

  @Property(tries = 200)
  void removingListIndexesDropsThoseOldPositions(
      @ForAll @Size(max = 8) List<@IntRange(max = 9) Integer> list,
      @ForAll @Size(min = 1, max = 5) Set<@IntRange(max = 10) Integer> removed) {
    List<String> values = list.stream().map(String::valueOf).toList();
    Item item = new Item(Map.of("l", strings(values)));
    String expression = "REMOVE " + removed.stream().map(i -> "l[" + i + "]")
        .collect(Collectors.joining(", "));
    Item after = Update.parse(expression, ExpressionContext.empty()).apply(item, Set.of()).item();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      if (!removed.contains(i)) {
        expected.add(values.get(i));
      }
    }
    assertThat(after.get("l")).isEqualTo(strings(expected));
  }

  @Property(tries = 200)
  void settingPastTheEndAppendsInIndexOrder(
      @ForAll @Size(max = 5) List<@IntRange(max = 9) Integer> list,
      @ForAll @Size(min = 1, max = 4) Set<@IntRange(max = 6) Integer> offsets) {
    List<String> values = list.stream().map(String::valueOf).toList();
    Map<String, AttributeValue> placeholders = new LinkedHashMap<>();
    List<String> sets = new ArrayList<>();
    for (int offset : offsets) {
      int index = values.size() + offset;
      placeholders.put(":v" + index, new AttributeValue.S("new" + index));
      sets.add("l[" + index + "] = :v" + index);
    }
    Update update = Update.parse("SET " + String.join(", ", sets),
        ExpressionContext.of(null, placeholders));
    Item after = update.apply(new Item(Map.of("l", strings(values))), Set.of()).item();
    List<String> expected = new ArrayList<>(values);
    new TreeSet<>(offsets).forEach(o -> expected.add("new" + (values.size() + o)));
    assertThat(after.get("l")).isEqualTo(strings(expected));
  }

  @Property(tries = 200)
  void addIsUnionAndDeleteIsDifference(
      @ForAll @Size(min = 1, max = 4) Set<@net.jqwik.api.constraints.StringLength(1)
          @net.jqwik.api.constraints.CharRange(from = 'a', to = 'f') String> stored,
      @ForAll @Size(min = 1, max = 4) Set<@net.jqwik.api.constraints.StringLength(1)
          @net.jqwik.api.constraints.CharRange(from = 'a', to = 'f') String> given) {
    Item item = new Item(Map.of("s", new AttributeValue.SS(stored)));
    Map<String, AttributeValue> v = Map.of(":v", new AttributeValue.SS(given));
    Set<String> union = new LinkedHashSet<>(stored);
    union.addAll(given);
    Set<String> difference = new LinkedHashSet<>(stored);
    difference.removeAll(given);

    Update.Result added = Update.parse("ADD s :v", ExpressionContext.of(null, v))
        .apply(item, Set.of());
    assertThat(added.item().get("s")).isEqualTo(new AttributeValue.SS(union));
    assertThat(added.updatedOld().get("s")).isEqualTo(item.get("s"));
    assertThat(added.updatedNew().get("s")).isEqualTo(new AttributeValue.SS(union));
    assertThat(Update.parse("ADD t :v", ExpressionContext.of(null, v)).apply(item, Set.of())
        .item().get("t")).isEqualTo(new AttributeValue.SS(given));

    Item deleted = Update.parse("DELETE s :v", ExpressionContext.of(null, v))
        .apply(item, Set.of()).item();
    assertThat(deleted.get("s"))
        .isEqualTo(difference.isEmpty() ? null : new AttributeValue.SS(difference));
  }

  @Property(tries = 200)
  void numbersAddAndSubtractExactly(
      @ForAll @IntRange(min = -1_000_000, max = 1_000_000) int x, @ForAll @IntRange(max = 4) int xs,
      @ForAll @IntRange(min = -1_000_000, max = 1_000_000) int y, @ForAll @IntRange(max = 4) int ys) {
    BigDecimal a = BigDecimal.valueOf(x, xs);
    BigDecimal b = BigDecimal.valueOf(y, ys);
    Item item = new Item(Map.of("n", new AttributeValue.N(DynamoNumber.of(a))));
    Map<String, AttributeValue> v = Map.of(":d", new AttributeValue.N(DynamoNumber.of(b)));
    Item after = Update.parse("SET p = n + :d, m = n - :d ADD n :d",
        ExpressionContext.of(null, v)).apply(item, Set.of()).item();
    assertThat(((AttributeValue.N) after.get("p")).value().value()).isEqualByComparingTo(a.add(b));
    assertThat(((AttributeValue.N) after.get("m")).value().value())
        .isEqualByComparingTo(a.subtract(b));
    assertThat(after.get("n")).isEqualTo(after.get("p"));
  }

  @Provide
  Arbitrary<List<String>> mapPaths() {
    return Arbitraries.of("a", "b", "c").list().ofMinSize(1).ofMaxSize(3);
  }

  @Property(tries = 300)
  void setWritesWhereTheParentIsAMapAndRefusesElsewhere(@ForAll("mapPaths") List<String> keys,
      @ForAll("nested") AttributeValue m) {
    Item item = new Item(Map.of("m", m, "other", new AttributeValue.S("kept")));
    List<Object> steps = new ArrayList<>(List.of("m"));
    steps.addAll(keys);
    DocumentPath path = DocumentPath.of(steps.toArray());
    DocumentPath parent = new DocumentPath(path.elements().subList(0, path.size() - 1));
    AttributeValue written = new AttributeValue.S("written");
    Update update = Update.parse("SET m." + String.join(".", keys) + " = :v",
        ExpressionContext.of(null, Map.of(":v", written)));
    if (parent.get(item) instanceof AttributeValue.M) {
      Update.Result result = update.apply(item, Set.of());
      assertThat(path.get(result.item())).isEqualTo(written);
      assertThat(result.item().get("other")).isEqualTo(item.get("other"));
      assertThat(result.updatedNew()).isEqualTo(PathTree.project(result.item(), List.of(path)));
      assertThat(path.get(result.updatedNew())).isEqualTo(written);
      assertThat(path.get(result.updatedOld())).isEqualTo(path.get(item));
      assertThat(path.set(item, written)).isEqualTo(result.item());
    } else {
      V.validation(() -> update.apply(item, Set.of()),
          "The document path provided in the update expression is invalid for update");
    }
  }

  @Provide
  Arbitrary<AttributeValue> nested() {
    return value(3);
  }

  // ---------------------------------------------------------------- projections

  @Property(tries = 300)
  void aProjectionKeepsExactlyTheValuesAtItsMapPaths(@ForAll("nested") AttributeValue m,
      @ForAll @Size(min = 1, max = 3) Set<@net.jqwik.api.constraints.StringLength(1)
          @net.jqwik.api.constraints.CharRange(from = 'a', to = 'c') String> keys) {
    Item item = new Item(Map.of("m", m, "z", new AttributeValue.Bool(true)));
    List<DocumentPath> paths = keys.stream().map(k -> DocumentPath.of("m", k)).toList();
    String expression = paths.stream().map(DocumentPath::toString)
        .collect(Collectors.joining(", "));
    Item projected = Projection.parse(expression, ExpressionContext.empty()).apply(item);
    for (DocumentPath path : paths) {
      assertThat(path.get(projected)).isEqualTo(path.get(item));
    }
    assertThat(projected.attributes()).doesNotContainKey("z");
    if (projected.get("m") instanceof AttributeValue.M pm) {
      assertThat(keys).containsAll(pm.values().keySet());
    } else {
      assertThat(projected.attributes()).isEmpty();
    }
  }

  // ---------------------------------------------------------------- robustness

  private static final List<String> TOKENS = List.of("a", "b.c", "#n", "#undefined", ":v",
      ":s", ":l", ":undefined", "=", "<>", "<", ">=", "AND", "OR", "NOT", "BETWEEN", "IN", "(",
      ")", ",", "[0]", "[1]", ".", "size", "attribute_exists", "attribute_type", "begins_with",
      "contains", "if_not_exists", "list_append", "SET", "REMOVE", "ADD", "DELETE", "+", "-",
      "status", "pk", "sk", "\"", "1", ":", "#");

  @Provide
  Arbitrary<String> tokenSoup() {
    return Arbitraries.of(TOKENS).list().ofMinSize(1).ofMaxSize(12)
        .flatMap(tokens -> Arbitraries.of(" ", "").list().ofSize(tokens.size())
            .map(spaces -> {
              StringBuilder out = new StringBuilder();
              for (int i = 0; i < tokens.size(); i++) {
                out.append(tokens.get(i)).append(spaces.get(i));
              }
              return out.toString();
            }));
  }

  private static ExpressionContext soupContext() {
    return ExpressionContext.of(Map.of("#n", "n"), Map.of(":v", new AttributeValue.N(
        DynamoNumber.of(1)), ":s", new AttributeValue.S("x"), ":l",
        new AttributeValue.L(List.of())));
  }

  private static void onlyValidationErrors(String label, Runnable parse, String prefix) {
    try {
      parse.run();
      Statistics.label(label).collect("accepted");
    } catch (ServiceException e) {
      assertThat(e.error().code()).isEqualTo("ValidationException");
      if (prefix != null) {
        assertThat(e.error().message()).startsWith(prefix);
      }
      Statistics.label(label).collect("refused");
    }
  }

  @Property(tries = 1000)
  void anyInputParsesOrFailsWithAValidationException(@ForAll("tokenSoup") String text,
      @ForAll("items") Item item) {
    onlyValidationErrors("condition", () -> Condition.parse(text, soupContext()).test(item),
        "Invalid ConditionExpression: ");
    onlyValidationErrors("update", () -> Update.parse(text, soupContext()).apply(item, Set.of("pk")), null);
    onlyValidationErrors("projection", () -> Projection.parse(text, soupContext()).apply(item),
        "Invalid ProjectionExpression: ");
    onlyValidationErrors("key condition", () -> KeyCondition.parse(text, soupContext(),
        KeyCondition.Schema.hash("pk", null).withRange("sk", null)).matches(item), null);
  }

  @Provide
  Arbitrary<Item> fullItems() {
    return Arbitraries.maps(Arbitraries.of(NAMES), value(2)).ofMinSize(4).ofMaxSize(5)
        .map(Item::new);
  }

  @Provide("items")
  Arbitrary<Item> itemsProvider() {
    return items();
  }

  /** A text with one token removed, inserted or swapped (or, half the time, left alone). */
  static Arbitrary<String> mutated(Arbitrary<String> texts) {
    return texts.flatMap(text -> {
      List<String> tokens = List.of(text.split(" "));
      Arbitrary<Integer> at = Arbitraries.integers().between(0, tokens.size() - 1);
      return Combinators.combine(Arbitraries.integers().between(-2, 3), at, at,
          Arbitraries.of(TOKENS)).as((kind, i, j, token) -> {
            List<String> out = new ArrayList<>(tokens);
            switch (kind) {
              case 1 -> out.remove((int) i);
              case 2 -> out.add(i, token);
              case 3 -> {
                out.set(i, tokens.get(j));
                out.set(j, tokens.get(i));
              }
              default -> { }
            }
            return String.join(" ", out);
          });
    });
  }

  record Text(Pool pool, String text) {}

  @Provide
  Arbitrary<Text> nearlyValidConditions() {
    return pools().flatMap(pool -> mutated(conditions(pool, 2).map(Ast::print))
        .map(text -> new Text(pool, text)));
  }

  @Property(tries = 1000)
  void nearlyValidConditionsParseOrFailWithAValidationException(
      @ForAll("nearlyValidConditions") Text c, @ForAll("items") Item item) {
    onlyValidationErrors("condition", () -> Condition.parse(c.text(),
        ExpressionContext.of(null, c.pool().values())).test(item), "Invalid ConditionExpression: ");
    onlyValidationErrors("key condition", () -> KeyCondition.parse(c.text(),
        ExpressionContext.of(null, c.pool().values()), KeyCondition.Schema.hash("a", null)
            .withRange("b", null)).matches(item), null);
  }

  private static final Map<String, AttributeValue> UPDATE_VALUES = Map.of(
      ":n", new AttributeValue.N(DynamoNumber.of(1)),
      ":s", new AttributeValue.S("x"),
      ":ss", new AttributeValue.SS(Set.of("a")),
      ":ns", new AttributeValue.NS(Set.of(DynamoNumber.of(1))),
      ":l", new AttributeValue.L(List.of(new AttributeValue.S("e"))),
      ":m", new AttributeValue.M(Map.of("a", new AttributeValue.N(DynamoNumber.of(2)))));

  @Provide
  Arbitrary<String> updates() {
    Arbitrary<String> path = paths().map(DocumentPath::toString);
    Arbitrary<String> value = Arbitraries.of(UPDATE_VALUES.keySet());
    Arbitrary<String> simple = Arbitraries.oneOf(path, value);
    Arbitrary<String> operand = Arbitraries.oneOf(path, value,
        Combinators.combine(path, simple).as((p, v) -> "if_not_exists(" + p + ", " + v + ")"),
        Combinators.combine(simple, simple).as((x, y) -> "list_append(" + x + ", " + y + ")"));
    Arbitrary<String> set = Combinators.combine(path, operand, Arbitraries.of("", " + ", " - "),
        operand).as((p, x, op, y) -> p + " = " + x + (op.isEmpty() ? "" : op + y));
    Arbitrary<String> pathValue = Combinators.combine(path, value).as((p, v) -> p + " " + v);
    Arbitrary<String> sections = Arbitraries.oneOf(
        set.list().ofMinSize(1).ofMaxSize(3).map(l -> "SET " + String.join(", ", l)),
        path.list().ofMinSize(1).ofMaxSize(3).map(l -> "REMOVE " + String.join(", ", l)),
        pathValue.list().ofMinSize(1).ofMaxSize(2).map(l -> "ADD " + String.join(", ", l)),
        pathValue.list().ofMinSize(1).ofMaxSize(2).map(l -> "DELETE " + String.join(", ", l)));
    return mutated(sections.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join(" ", l)));
  }

  @Property(tries = 1000)
  void updatesParseAndApplyOrFailWithAValidationException(@ForAll("updates") String text,
      @ForAll("fullItems") Item item) {
    onlyValidationErrors("parsed", () -> Update.parse(text,
        ExpressionContext.of(null, UPDATE_VALUES)), "Invalid UpdateExpression: ");
    onlyValidationErrors("applied", () -> {
      Update.Result result = Update.parse(text, ExpressionContext.of(null, UPDATE_VALUES))
          .apply(item, Set.of("e"));
      assertThat(result.item().get("e")).as("the key is untouched").isEqualTo(item.get("e"));
      assertThat(result.updatedNew().attributes().keySet())
          .isSubsetOf(result.item().attributes().keySet());
      assertThat(result.updatedOld().attributes().keySet())
          .isSubsetOf(item.attributes().keySet());
    }, null);
  }

  // ---------------------------------------------------------------- the reference evaluator

  /**
   * DynamoDB's condition semantics written down a second time, without the production code's
   * helpers: strings ordered by their UTF-8 bytes, numbers as decimals, binaries unsigned.
   */
  static final class Reference {
    static boolean test(Cond c, Item item) {
      if (c instanceof And and) {
        return test(and.left(), item) && test(and.right(), item);
      } else if (c instanceof Or or) {
        return test(or.left(), item) || test(or.right(), item);
      } else if (c instanceof Not not) {
        return !test(not.operand(), item);
      } else if (c instanceof Compare cmp) {
        AttributeValue l = eval(cmp.left(), item);
        AttributeValue r = eval(cmp.right(), item);
        return switch (cmp.op()) {
          case EQ -> equal(l, r);
          case NE -> !equal(l, r);
          case LT -> order(l, r) != null && order(l, r) < 0;
          case LE -> order(l, r) != null && order(l, r) <= 0;
          case GT -> order(l, r) != null && order(l, r) > 0;
          case GE -> order(l, r) != null && order(l, r) >= 0;
        };
      } else if (c instanceof Between b) {
        AttributeValue x = eval(b.operand(), item);
        Integer low = order(eval(b.lower(), item), x);
        Integer high = order(x, eval(b.upper(), item));
        return low != null && high != null && low <= 0 && high <= 0;
      } else if (c instanceof In in) {
        AttributeValue x = eval(in.operand(), item);
        return in.candidates().stream().anyMatch(o -> equal(x, eval(o, item)));
      }
      Function f = (Function) c;
      AttributeValue first = eval(f.args().get(0), item);
      AttributeValue second = f.args().size() > 1 ? eval(f.args().get(1), item) : null;
      return switch (f.name()) {
        case "attribute_exists" -> first != null;
        case "attribute_not_exists" -> first == null;
        case "attribute_type" -> first != null && first.type().equals(text(second));
        case "begins_with" -> beginsWith(first, second);
        case "contains" -> contains(first, second);
        default -> throw new IllegalArgumentException(f.name());
      };
    }

    private static String text(AttributeValue v) {
      return v instanceof AttributeValue.S s ? s.value() : null;
    }

    static AttributeValue eval(Operand o, Item item) {
      if (o instanceof ValueRef v) {
        return v.value();
      }
      if (o instanceof Call call) {
        AttributeValue v = eval(call.args().get(0), item);
        Integer size = null;
        if (v instanceof AttributeValue.S s) {
          size = s.value().length();
        } else if (v instanceof AttributeValue.B b) {
          size = b.value().toArray().length;
        } else if (v instanceof AttributeValue.SS s) {
          size = s.values().size();
        } else if (v instanceof AttributeValue.NS s) {
          size = s.values().size();
        } else if (v instanceof AttributeValue.BS s) {
          size = s.values().size();
        } else if (v instanceof AttributeValue.L l) {
          size = l.values().size();
        } else if (v instanceof AttributeValue.M m) {
          size = m.values().size();
        }
        return size == null ? null : new AttributeValue.N(DynamoNumber.of(size));
      }
      if (item == null) {
        return null;
      }
      AttributeValue v = null;
      Map<String, AttributeValue> map = item.attributes();
      List<AttributeValue> list = null;
      for (DocumentPath.Element e : ((PathRef) o).path().elements()) {
        if (e instanceof DocumentPath.Name n) {
          v = map == null ? null : map.get(n.name());
        } else {
          int i = ((DocumentPath.Index) e).index();
          v = list == null || i >= list.size() ? null : list.get(i);
        }
        if (v == null) {
          return null;
        }
        map = v instanceof AttributeValue.M m ? m.values() : null;
        list = v instanceof AttributeValue.L l ? l.values() : null;
      }
      return v;
    }

    static boolean equal(AttributeValue a, AttributeValue b) {
      if (a == null || b == null || !a.type().equals(b.type())) {
        return false;
      }
      if (a instanceof AttributeValue.N x) {
        return x.value().value().compareTo(((AttributeValue.N) b).value().value()) == 0;
      }
      if (a instanceof AttributeValue.B x) {
        return Arrays.equals(x.value().toArray(), ((AttributeValue.B) b).value().toArray());
      }
      if (a instanceof AttributeValue.NS x) {
        return decimals(x).equals(decimals((AttributeValue.NS) b));
      }
      if (a instanceof AttributeValue.L x) {
        List<AttributeValue> y = ((AttributeValue.L) b).values();
        if (x.values().size() != y.size()) {
          return false;
        }
        for (int i = 0; i < y.size(); i++) {
          if (!equal(x.values().get(i), y.get(i))) {
            return false;
          }
        }
        return true;
      }
      if (a instanceof AttributeValue.M x) {
        Map<String, AttributeValue> y = ((AttributeValue.M) b).values();
        return x.values().keySet().equals(y.keySet()) && x.values().entrySet().stream()
            .allMatch(e -> equal(e.getValue(), y.get(e.getKey())));
      }
      return a.equals(b); // S, SS, BS, BOOL, NULL
    }

    private static Set<BigDecimal> decimals(AttributeValue.NS ns) {
      return ns.values().stream().map(n -> n.value().stripTrailingZeros())
          .collect(Collectors.toSet());
    }

    static Integer order(AttributeValue a, AttributeValue b) {
      if (a == null || b == null || !a.type().equals(b.type())) {
        return null;
      }
      if (a instanceof AttributeValue.S x) {
        return Integer.signum(Arrays.compareUnsigned(x.value().getBytes(StandardCharsets.UTF_8),
            ((AttributeValue.S) b).value().getBytes(StandardCharsets.UTF_8)));
      }
      if (a instanceof AttributeValue.N x) {
        return x.value().value().compareTo(((AttributeValue.N) b).value().value());
      }
      if (a instanceof AttributeValue.B x) {
        return Integer.signum(Arrays.compareUnsigned(x.value().toArray(),
            ((AttributeValue.B) b).value().toArray()));
      }
      return null;
    }

    static boolean beginsWith(AttributeValue a, AttributeValue p) {
      if (a instanceof AttributeValue.S x && p instanceof AttributeValue.S y) {
        byte[] s = x.value().getBytes(StandardCharsets.UTF_8);
        byte[] prefix = y.value().getBytes(StandardCharsets.UTF_8);
        return s.length >= prefix.length
            && Arrays.equals(s, 0, prefix.length, prefix, 0, prefix.length);
      }
      if (a instanceof AttributeValue.B x && p instanceof AttributeValue.B y) {
        byte[] s = x.value().toArray();
        byte[] prefix = y.value().toArray();
        return s.length >= prefix.length
            && Arrays.equals(s, 0, prefix.length, prefix, 0, prefix.length);
      }
      return false;
    }

    static boolean contains(AttributeValue a, AttributeValue p) {
      if (a == null || p == null) {
        return false;
      }
      if (a instanceof AttributeValue.S x) {
        return p instanceof AttributeValue.S y && x.value().contains(y.value());
      }
      if (a instanceof AttributeValue.B x) {
        return p instanceof AttributeValue.B y && new String(x.value().toArray(),
            StandardCharsets.ISO_8859_1).contains(new String(y.value().toArray(),
            StandardCharsets.ISO_8859_1));
      }
      if (a instanceof AttributeValue.SS x) {
        return p instanceof AttributeValue.S y && x.values().contains(y.value());
      }
      if (a instanceof AttributeValue.NS x) {
        return p instanceof AttributeValue.N y
            && decimals(x).contains(y.value().value().stripTrailingZeros());
      }
      if (a instanceof AttributeValue.BS x) {
        return p instanceof AttributeValue.B y && x.values().stream()
            .anyMatch(e -> Arrays.equals(e.toArray(), y.value().toArray()));
      }
      if (a instanceof AttributeValue.L x) {
        return x.values().stream().anyMatch(e -> equal(e, p));
      }
      return false;
    }
  }
}
