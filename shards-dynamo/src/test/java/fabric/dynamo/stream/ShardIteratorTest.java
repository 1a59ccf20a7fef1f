package fabric.dynamo.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fabric.core.error.ServiceException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Iterators round-trip, expire after 15 minutes, and a forged one is a ValidationException. */
class ShardIteratorTest {
  private static void refused(String text, long now, String code) {
    assertThatThrownBy(() -> ShardIterator.decode(text, now)).isInstanceOfSatisfying(
        ServiceException.class, e -> assertThat(e.error().code()).isEqualTo(code));
  }

  @Test
  void anIteratorRoundTripsAndExpires() {
    var it = new ShardIterator("111122223333", "t", "tid", "p0", 7, 1_000);
    assertThat(ShardIterator.decode(it.encode(), 2_000)).isEqualTo(it);
    refused(it.encode(), 1_000 + ShardIterator.LIFETIME_MILLIS + 1, "ExpiredIteratorException");
  }

  @Test
  void aForgedIteratorIsAValidationException() {
    refused("not base64 !", 0, "ValidationException");
    refused(Base64.getUrlEncoder().encodeToString("a|b|c|d|seven|8"
        .getBytes(StandardCharsets.UTF_8)), 0, "ValidationException");
    refused(Base64.getUrlEncoder().encodeToString("a|b".getBytes(StandardCharsets.UTF_8)), 0,
        "ValidationException");
  }
}
