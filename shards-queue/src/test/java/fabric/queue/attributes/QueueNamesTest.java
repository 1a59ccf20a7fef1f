package fabric.queue.attributes;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fabric.core.error.ServiceException;
import org.junit.jupiter.api.Test;

class QueueNamesTest {
  private static void refused(String name, boolean fifo, String code, String messagePart) {
    assertThatThrownBy(() -> QueueNames.validate(name, fifo))
        .isInstanceOfSatisfying(ServiceException.class,
            e -> org.assertj.core.api.Assertions.assertThat(e.error().code()).isEqualTo(code))
        .hasMessageContaining(messagePart);
  }

  @Test
  void lettersDigitsHyphensAndUnderscoresUpToEightyCharactersAreAccepted() {
    assertThatCode(() -> QueueNames.validate("orders_2024-eu", false)).doesNotThrowAnyException();
    assertThatCode(() -> QueueNames.validate("a".repeat(80), false)).doesNotThrowAnyException();
    assertThatCode(() -> QueueNames.validate("a".repeat(75) + ".fifo", true))
        .doesNotThrowAnyException();
  }

  @Test
  void theFifoSuffixCountsTowardTheLimitAndMatchesTheFlag() {
    refused("a".repeat(81), false, "InvalidParameterValue", "the limit is 80");
    refused("a".repeat(76) + ".fifo", true, "InvalidParameterValue", "the limit is 80");
    refused("orders", true, "InvalidParameterValue", "must end with the .fifo suffix");
    refused("orders.fifo", false, "InvalidParameterValue", "only FIFO queues");
  }

  @Test
  void otherCharactersAndEmptyNamesAreRefused() {
    refused("orders.eu", false, "InvalidParameterValue", "alphanumeric");
    refused("ordres été", false, "InvalidParameterValue", "alphanumeric");
    refused(".fifo", true, "InvalidParameterValue", "alphanumeric");
    refused("", false, "MissingParameter", "QueueName");
  }
}
