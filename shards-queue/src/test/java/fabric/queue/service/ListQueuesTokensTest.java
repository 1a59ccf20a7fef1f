package fabric.queue.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fabric.core.error.ServiceException;
import org.junit.jupiter.api.Test;

class ListQueuesTokensTest {
  @Test
  void aTokenNamesTheLastQueueOfItsPage() {
    assertThat(ListQueuesTokens.decode(ListQueuesTokens.encode("orders-ü"))).isEqualTo("orders-ü");
    assertThat(ListQueuesTokens.decode(null)).isNull();
    assertThat(ListQueuesTokens.decode("")).isNull();
  }

  @Test
  void aForeignTokenIsInvalidParameterValue() {
    assertThatThrownBy(() -> ListQueuesTokens.decode("garbage!"))
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.error().code())
            .isEqualTo("InvalidParameterValue"));
  }
}
