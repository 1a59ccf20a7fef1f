package fabric.dynamo.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fabric.core.error.ServiceException;
import fabric.core.testkit.EntityTestKit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** DynamoDB's value rules: number range and precision, sizes, ordering, serialization. */
class AttributeValueTest {
  private static final ActorTestKit kit = EntityTestKit.actorTestKit("AttributeValueTest");

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  private static void validationError(Runnable r, String message) {
    assertThatThrownBy(r::run).isInstanceOfSatisfying(ServiceException.class, e -> {
      assertThat(e.error().code()).isEqualTo("ValidationException");
      assertThat(e.error().message()).contains(message);
    });
  }

  @Test
  void numbersKeep38DigitsCompareByValueAndRefuseWhatDynamoDbRefuses() {
    assertThat(DynamoNumber.parse("1.0")).isEqualTo(DynamoNumber.parse("1"))
        .hasSameHashCodeAs(DynamoNumber.parse("1.000"));
    assertThat(DynamoNumber.parse("100")).isEqualTo(DynamoNumber.parse("1E+2"));
    assertThat(DynamoNumber.parse("12345678901234567890123456789012345678").significantDigits())
        .isEqualTo(38);
    validationError(() -> DynamoNumber.parse("123456789012345678901234567890123456789"),
        "38 significant digits");
    validationError(() -> DynamoNumber.parse("1E+126"), "Number overflow");
    validationError(() -> DynamoNumber.parse("-1E-131"), "Number underflow");
    assertThat(DynamoNumber.parse("-9.9999999999999999999999999999999999999E+125").value()
        .signum()).isNegative();
    validationError(() -> DynamoNumber.parse("ten"), "cannot be converted to a numeric value");
    assertThat(DynamoNumber.parse("0.1").plus(DynamoNumber.parse("0.2")))
        .isEqualTo(DynamoNumber.parse("0.3"));
  }

  @Test
  void sizesFollowDynamoDbsRules() {
    // Strings: UTF-8 bytes; numbers: 1 byte per two significant digits plus 1.
    assertThat(new AttributeValue.S("héllo").sizeBytes()).isEqualTo(6);
    assertThat(AttributeValue.N.of("12345").sizeBytes()).isEqualTo(4);
    assertThat(AttributeValue.N.of("1000").sizeBytes()).isEqualTo(2); // trailing zeros trimmed
    assertThat(new AttributeValue.Bool(true).sizeBytes()).isEqualTo(1);
    // Lists and maps: 3 bytes, plus 1 per element, plus names and values.
    assertThat(new AttributeValue.L(List.of()).sizeBytes()).isEqualTo(3);
    assertThat(new AttributeValue.M(Map.of("ab", new AttributeValue.S("xyz"))).sizeBytes())
        .isEqualTo(3 + 2 + 3 + 1);
    Item item = new Item(Map.of("id", new AttributeValue.S("k1"),
        "tags", new AttributeValue.SS(Set.of("a", "bc"))));
    assertThat(item.sizeBytes()).isEqualTo(2 + 2 + 4 + 3);
  }

  @Test
  void anItemOver400KbIsRefused() {
    String big = "x".repeat(Item.MAX_SIZE_BYTES - 2);
    assertThat(new Item(Map.of("a", new AttributeValue.S(big))).checkSize().sizeBytes())
        .isEqualTo(Item.MAX_SIZE_BYTES - 1);
    assertThat(new Item(Map.of("ab", new AttributeValue.S(big))).checkSize().sizeBytes())
        .as("exactly 400 KB is allowed").isEqualTo(Item.MAX_SIZE_BYTES);
    validationError(() -> new Item(Map.of("abc", new AttributeValue.S(big))).checkSize(),
        "Item size has exceeded the maximum allowed size");
  }

  @Test
  void binariesOrderUnsignedBytewise() {
    Bytes low = Bytes.of(new byte[] {0x01});
    Bytes high = Bytes.of(new byte[] {(byte) 0xff});
    assertThat(low.compareTo(high)).isNegative();
    assertThat(Bytes.of(new byte[] {1, 2}).startsWith(low)).isTrue();
  }

  @Test
  void everyKindSurvivesTheWireAndTheJournal() {
    Item item = new Item(Map.of(
        "s", new AttributeValue.S("ü"),
        "n", AttributeValue.N.of("-12.5E3"),
        "b", new AttributeValue.B(Bytes.of(new byte[] {0, (byte) 200})),
        "ss", new AttributeValue.SS(Set.of("a", "b")),
        "ns", new AttributeValue.NS(Set.of(DynamoNumber.parse("1"), DynamoNumber.parse("2.5"))),
        "bs", new AttributeValue.BS(Set.of(Bytes.of(new byte[] {9}))),
        "m", new AttributeValue.M(Map.of("deep", new AttributeValue.L(List.of(
            new AttributeValue.Null(), new AttributeValue.Bool(false))))),
        "l", new AttributeValue.L(List.of(AttributeValue.N.of("1")))));
    new SerializationTestKit(kit.system()).verifySerialization(item, true);
  }
}
