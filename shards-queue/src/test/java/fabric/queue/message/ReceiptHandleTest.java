package fabric.queue.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fabric.core.error.ServiceException;
import org.junit.jupiter.api.Test;

class ReceiptHandleTest {
  @Test
  void aHandleDecodesBackToItsMessageAndReceive() {
    ReceiptHandle h = new ReceiptHandle("111122223333/orders", 42, 3);
    String text = h.encode();
    assertThat(text).matches("[A-Za-z0-9_-]+");
    assertThat(ReceiptHandle.decode(text, "111122223333/orders")).isEqualTo(h);
  }

  @Test
  void garbageAndOtherQueuesHandlesAreInvalid() {
    String other = new ReceiptHandle("111122223333/other", 1, 1).encode();
    for (String text : new String[] {"abc", "!!!", other,
        new ReceiptHandle("111122223333/orders", 0, 1).encode()}) {
      assertThatThrownBy(() -> ReceiptHandle.decode(text, "111122223333/orders"))
          .isInstanceOfSatisfying(ServiceException.class,
              e -> assertThat(e.error().code()).isEqualTo("ReceiptHandleIsInvalid"))
          .hasMessageContaining("is not a valid receipt handle");
    }
    assertThatThrownBy(() -> ReceiptHandle.decode("", "111122223333/orders"))
        .isInstanceOfSatisfying(ServiceException.class,
            e -> assertThat(e.error().code()).isEqualTo("MissingParameter"));
  }
}
