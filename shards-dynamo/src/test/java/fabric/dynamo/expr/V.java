package fabric.dynamo.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fabric.core.error.ServiceException;
import fabric.dynamo.model.AttributeValue;
import fabric.dynamo.model.Bytes;
import fabric.dynamo.model.DynamoNumber;
import fabric.dynamo.model.Item;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Short ways to write values, items and contexts in the expression tests. */
final class V {
  private V() {}

  static AttributeValue s(String s) {
    return new AttributeValue.S(s);
  }

  static AttributeValue n(String n) {
    return AttributeValue.N.of(n);
  }

  static AttributeValue n(long n) {
    return new AttributeValue.N(DynamoNumber.of(n));
  }

  static AttributeValue b(int... bytes) {
    return new AttributeValue.B(bytes(bytes));
  }

  static Bytes bytes(int... bytes) {
    byte[] out = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = (byte) bytes[i];
    }
    return Bytes.of(out);
  }

  static AttributeValue ss(String... s) {
    return new AttributeValue.SS(java.util.Set.of(s));
  }

  static AttributeValue ns(String... n) {
    return new AttributeValue.NS(
        Arrays.stream(n).map(DynamoNumber::parse).collect(Collectors.toSet()));
  }

  static AttributeValue bs(Bytes... b) {
    return new AttributeValue.BS(java.util.Set.of(b));
  }

  static AttributeValue l(AttributeValue... values) {
    return new AttributeValue.L(List.of(values));
  }

  static AttributeValue bool(boolean b) {
    return new AttributeValue.Bool(b);
  }

  static AttributeValue nul() {
    return new AttributeValue.Null();
  }

  /** A map from alternating keys and values: m("a", s("x"), "b", n(1)). */
  static AttributeValue m(Object... kv) {
    return new AttributeValue.M(map(kv));
  }

  static Item item(Object... kv) {
    return new Item(map(kv));
  }

  private static Map<String, AttributeValue> map(Object... kv) {
    Map<String, AttributeValue> out = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      out.put((String) kv[i], (AttributeValue) kv[i + 1]);
    }
    return out;
  }

  /** A context from alternating placeholders and their names or values. */
  static ExpressionContext ctx(Object... kv) {
    Map<String, String> names = new LinkedHashMap<>();
    Map<String, AttributeValue> values = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      String key = (String) kv[i];
      if (key.startsWith("#")) {
        names.put(key, (String) kv[i + 1]);
      } else {
        values.put(key, (AttributeValue) kv[i + 1]);
      }
    }
    return ExpressionContext.of(names.isEmpty() ? null : names,
        values.isEmpty() ? null : values);
  }

  /** Asserts DynamoDB's ValidationException with exactly this message. */
  static void validation(ThrowingCallable call, String message) {
    assertThatThrownBy(call).isInstanceOfSatisfying(ServiceException.class, e -> {
      assertThat(e.error().code()).isEqualTo("ValidationException");
      assertThat(e.error().message()).isEqualTo(message);
    });
  }
}
