package fabric.kinesis.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fabric.core.error.ServiceException;
import org.junit.jupiter.api.Test;

/** Streams are named by name or ARN as Kinesis allows; shard ids as Kinesis writes them. */
class StreamNamesTest {
  private static final String ACCOUNT = "123456789012";

  @Test
  void aStreamIsNamedByNameOrArnAndBothMustAgree() {
    String arn = StreamNames.arn("eu-west-1", ACCOUNT, "orders");
    assertThat(arn).isEqualTo("arn:aws:kinesis:eu-west-1:123456789012:stream/orders");
    assertThat(StreamNames.resolve("orders", null, "us-east-1", ACCOUNT))
        .isEqualTo(new StreamNames.StreamRef("us-east-1", ACCOUNT, "orders"));
    assertThat(StreamNames.resolve(null, arn, "us-east-1", ACCOUNT))
        .isEqualTo(new StreamNames.StreamRef("eu-west-1", ACCOUNT, "orders"));
    assertThatThrownBy(() -> StreamNames.resolve("other", arn, "us-east-1", ACCOUNT))
        .isInstanceOf(ServiceException.class).hasMessageContaining("different streams");
    assertThatThrownBy(() -> StreamNames.resolve("", "", "us-east-1", ACCOUNT))
        .hasMessageContaining("Either StreamName or StreamARN");
    assertThatThrownBy(() -> StreamNames.resolve(null, arn, "us-east-1", "999999999999"))
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.error().code())
            .isEqualTo("ResourceNotFoundException"));
  }

  @Test
  void namesAreOneTo128OfLettersDigitsAndUnderscoreDotDash() {
    StreamNames.check("a.b_c-D9", "streamName");
    StreamNames.check("x".repeat(128), "streamName");
    assertThatThrownBy(() -> StreamNames.check("x".repeat(129), "streamName"))
        .hasMessageContaining("streamName");
    assertThatThrownBy(() -> StreamNames.check("a/b", "streamName"))
        .hasMessageContaining("[a-zA-Z0-9_.-]+");
  }

  @Test
  void shardIdsHaveTwelveDigits() {
    assertThat(ShardIds.of(3)).isEqualTo("shardId-000000000003");
    assertThat(ShardIds.indexOf("shardId-000000000003", "shardId")).isEqualTo(3);
    assertThatThrownBy(() -> ShardIds.indexOf("shard-3", "shardId"))
        .isInstanceOf(ServiceException.class);
  }
}
