package fabric.gateway.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fabric.s3.v1.ListBucketsRequest;
import fabric.s3.v1.S3Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AccountInterceptorTest {
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws IOException {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(new AccountEchoService()).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  private S3Grpc.S3BlockingStub stub(String account) {
    var stub = S3Grpc.newBlockingStub(channel);
    if (account == null) {
      return stub;
    }
    Metadata headers = new Metadata();
    headers.put(AccountInterceptor.ACCOUNT_KEY, account);
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  private String owner(String account) {
    return stub(account).listBuckets(ListBucketsRequest.getDefaultInstance()).getOwner().getId();
  }

  @Test
  void theHeaderNamesTheAccount() {
    assertThat(owner("123456789012")).isEqualTo("123456789012");
  }

  @Test
  void withoutTheHeaderTheCallerIsTheDefaultAccount() {
    assertThat(owner(null)).isEqualTo("000000000000");
  }

  @Test
  void anAccountIdThatIsNotTwelveDigitsIsRejected() {
    for (String bad : new String[] {"", "12345678901", "1234567890123", "12345678901a",
        "../000000000"}) {
      assertThatThrownBy(() -> owner(bad))
          .as("account id '%s'", bad)
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(GrpcErrors.awsCode(e)).contains("InvalidAccountId");
            assertThat(GrpcErrors.errorInfo(e).orElseThrow().getMetadataMap())
                .containsEntry(GrpcErrors.HTTP_STATUS, "400");
          });
    }
  }

  @Test
  void outsideAnInterceptedCallThereIsNoAccount() {
    assertThatThrownBy(AccountInterceptor::currentAccount)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("AccountInterceptor");
  }
}
