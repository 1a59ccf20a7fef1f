package fabric.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fabric.core.error.ServiceException;
import org.junit.jupiter.api.Test;

class QueueIdTest {
  private static final QueueId ORDERS = new QueueId("us-east-1", "111122223333", "orders.fifo");

  @Test
  void urlsAndArnsRoundTripWhateverTheHost() {
    assertThat(ORDERS.url("http://localhost:4566/"))
        .isEqualTo("http://localhost:4566/111122223333/orders.fifo");
    assertThat(ORDERS.arn()).isEqualTo("arn:aws:sqs:us-east-1:111122223333:orders.fifo");
    assertThat(QueueId.fromUrl("us-east-1", "https://sqs.example:443/111122223333/orders.fifo"))
        .isEqualTo(ORDERS);
    assertThat(QueueId.fromArn(ORDERS.arn())).isEqualTo(ORDERS);
    assertThat(QueueId.fromEntityId("us-east-1", ORDERS.entityId())).isEqualTo(ORDERS);
  }

  @Test
  void malformedUrlsAndArnsSayWhatAQueueUrlIs() {
    for (String url : new String[] {"", "http://h/orders", "http://h/123/orders",
        "http://h/111122223333/", "not a url at all %", "http://h/111122223333/a/b"}) {
      assertThatThrownBy(() -> QueueId.fromUrl("us-east-1", url))
          .isInstanceOfSatisfying(ServiceException.class,
              e -> assertThat(e.error().code()).isEqualTo("InvalidAddress"))
          .hasMessageContaining("/<12-digit account>/<queue name>");
    }
    assertThatThrownBy(() -> QueueId.fromArn("arn:aws:sns:us-east-1:111122223333:t"))
        .hasMessageContaining("is not the ARN of an SQS queue");
    assertThatThrownBy(() -> QueueId.fromUrl("us-east-1", "http://h/111122223333/bad.name"))
        .isInstanceOfSatisfying(ServiceException.class,
            e -> assertThat(e.error().code()).isEqualTo("InvalidParameterValue"));
  }

  @Test
  void aMalformedAccountIdIsBadInputNotAnInternalError() {
    assertThatThrownBy(() -> new QueueId("us-east-1", "12ab", "q"))
        .isInstanceOfSatisfying(ServiceException.class,
            e -> assertThat(e.error().code()).isEqualTo("InvalidParameterValue"))
        .hasMessageContaining("not an AWS account id");
  }
}
