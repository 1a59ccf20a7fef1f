package fabric.kinesis.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fabric.core.error.ServiceException;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Iterators read back as written, expire after 5 minutes and name only the caller's shards. */
class ShardIteratorsTest {
  private static final String ACCOUNT = "123456789012";
  private static final String SHARD = ACCOUNT + "/us-east-1/orders/1700000000000/"
      + "shardId-000000000001";
  private static final long T0 = 1_700_000_000_000L;

  private static ShardIterators.Position position() {
    return new ShardIterators.Position(SHARD, "shardId-000000000001", 42, 17, 0, T0);
  }

  private static void refused(String iterator, long now, String code) {
    assertThatThrownBy(() -> ShardIterators.decode(iterator, ACCOUNT, now))
        .isInstanceOfSatisfying(ServiceException.class,
            e -> assertThat(e.error().code()).isEqualTo(code));
  }

  @Test
  void anIteratorReadsBackAsItsPositionAndNamesItsStream() {
    var read = ShardIterators.decode(ShardIterators.encode(position()), ACCOUNT, T0 + 1);
    assertThat(read).isEqualTo(position());
    assertThat(read.stream()).isEqualTo(new StreamId("us-east-1", ACCOUNT, "orders"));
  }

  @Test
  void anIteratorExpiresFiveMinutesAfterItWasIssued() {
    String it = ShardIterators.encode(position());
    ShardIterators.decode(it, ACCOUNT, T0 + ShardIterators.VALID_MILLIS);
    refused(it, T0 + ShardIterators.VALID_MILLIS + 1, "ExpiredIteratorException");
  }

  @Test
  void aGarbledIteratorOrAnotherAccountsIsInvalid() {
    String it = ShardIterators.encode(position());
    for (String bad : List.of("", "%%%", it.substring(0, it.length() / 2),
        Base64.getUrlEncoder().encodeToString("k1|a|b|c|d|e|f".getBytes()))) {
      refused(bad, T0, "InvalidArgumentException");
    }
    assertThatThrownBy(() -> ShardIterators.decode(it, "999999999999", T0))
        .isInstanceOfSatisfying(ServiceException.class,
            e -> assertThat(e.error().code()).isEqualTo("InvalidArgumentException"));
  }
}
