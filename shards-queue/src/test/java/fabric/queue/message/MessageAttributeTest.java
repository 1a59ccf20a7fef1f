package fabric.queue.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fabric.core.error.ServiceException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageAttributeTest {
  private static void refused(Map<String, MessageAttribute> attributes, String messagePart) {
    assertThatThrownBy(() -> MessageAttribute.validateAll(attributes))
        .isInstanceOfSatisfying(ServiceException.class,
            e -> assertThat(e.error().code()).isEqualTo("InvalidParameterValue"))
        .hasMessageContaining(messagePart);
  }

  @Test
  void stringNumberAndBinaryWithCustomLabelsAreAccepted() {
    assertThatCode(() -> MessageAttribute.validateAll(Map.of(
        "trace-id", MessageAttribute.string("abc"),
        "price", new MessageAttribute("Number.float", "12.50", null),
        "big", MessageAttribute.number("1e126"),
        "thumb", MessageAttribute.binary(new byte[] {1})))).doesNotThrowAnyException();
  }

  @Test
  void badNamesTypesAndValuesAreRefusedWithTheReason() {
    refused(Map.of("AWS.trace", MessageAttribute.string("x")), "reserved");
    refused(Map.of("amazon.x", MessageAttribute.string("x")), "reserved");
    refused(Map.of("a..b", MessageAttribute.string("x")), "is invalid");
    refused(Map.of(".a", MessageAttribute.string("x")), "is invalid");
    refused(Map.of("a b", MessageAttribute.string("x")), "is invalid");
    refused(Map.of("n", MessageAttribute.number("twelve")), "Can't cast");
    refused(Map.of("n", MessageAttribute.number("1" + "0".repeat(38) + "1")), "out of range");
    refused(Map.of("n", MessageAttribute.number("1e127")), "out of range");
    refused(Map.of("s", MessageAttribute.string("")), "may not be empty");
    refused(Map.of("b", MessageAttribute.binary(new byte[0])), "may not be empty");
    refused(Map.of("t", new MessageAttribute("StringList", "x", null)), "invalid message "
        + "attribute type");
  }

  @Test
  void atMostTenAttributes() {
    Map<String, MessageAttribute> eleven = new HashMap<>();
    for (int i = 0; i < 11; i++) {
      eleven.put("a" + i, MessageAttribute.string("v"));
    }
    refused(eleven, "exceeds the allowed maximum [10]");
  }

  @Test
  void theSizeCountsNameTypeAndValueBytes() {
    assertThat(MessageAttribute.string("ü").sizeBytes("ab")).isEqualTo(2 + 6 + 2);
    assertThat(MessageAttribute.binary(new byte[5]).sizeBytes("b")).isEqualTo(1 + 6 + 5);
  }
}
