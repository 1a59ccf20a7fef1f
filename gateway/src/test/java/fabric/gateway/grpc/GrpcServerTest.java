package fabric.gateway.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import fabric.s3.v1.ListBucketsRequest;
import fabric.s3.v1.PutObjectRequest;
import fabric.s3.v1.PutObjectResponse;
import fabric.s3.v1.S3Grpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GrpcServerTest {
  private GrpcServer server;
  private ManagedChannel channel;

  @BeforeEach
  void start() {
    server = new GrpcServer("127.0.0.1", 0, List.of(new AccountEchoService())).start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdown(Duration.ofSeconds(1));
  }

  private ServingStatus health(String service) {
    return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
        .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
  }

  @Test
  void healthReportsTheServerAndEachServiceAsServing() {
    assertThat(health("")).isEqualTo(ServingStatus.SERVING);
    assertThat(health("fabric.s3.v1.S3")).isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void markingNotServingFlipsHealthWhileCallsStillWork() {
    server.markNotServing();

    assertThat(health("")).isEqualTo(ServingStatus.NOT_SERVING);
    assertThat(health("fabric.s3.v1.S3")).isEqualTo(ServingStatus.NOT_SERVING);
    assertThat(S3Grpc.newBlockingStub(channel).listBuckets(ListBucketsRequest.getDefaultInstance())
        .getOwner().getId()).isEqualTo(AccountInterceptor.DEFAULT_ACCOUNT);
  }

  @Test
  void servicesAreInterceptedAsTheyBindThemselves() {
    assertThat(S3Grpc.newBlockingStub(channel).listBuckets(ListBucketsRequest.getDefaultInstance())
        .getOwner().getId()).isEqualTo("000000000000");
  }

  @Test
  void reflectionListsTheServices() throws Exception {
    CompletableFuture<List<String>> names = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
        .serverReflectionInfo(new StreamObserver<>() {
          @Override
          public void onNext(ServerReflectionResponse response) {
            names.complete(response.getListServicesResponse().getServiceList().stream()
                .map(ServiceResponse::getName).toList());
          }

          @Override
          public void onError(Throwable t) {
            names.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {}
        });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    requests.onCompleted();

    assertThat(names.get(5, TimeUnit.SECONDS))
        .contains("fabric.s3.v1.S3", "grpc.health.v1.Health");
  }

  @Test
  void messagesUpToSixteenMebibytesAreAccepted() throws Exception {
    int size = 12 * 1024 * 1024; // over gRPC's default 4 MiB limit
    CompletableFuture<PutObjectResponse> done = new CompletableFuture<>();
    StreamObserver<PutObjectRequest> requests = S3Grpc.newStub(channel)
        .putObject(observer(done));
    requests.onNext(PutObjectRequest.newBuilder().setBucket("b").setKey("k")
        .setData(ByteString.copyFrom(new byte[size])).build());
    requests.onCompleted();

    assertThat(done.get(10, TimeUnit.SECONDS).getSize()).isEqualTo(size);
  }

  @Test
  void afterShutdownTheServerRefusesCalls() {
    server.shutdown(Duration.ofSeconds(1));

    assertThatThrownBy(() -> S3Grpc.newBlockingStub(channel)
        .withDeadlineAfter(5, TimeUnit.SECONDS)
        .listBuckets(ListBucketsRequest.getDefaultInstance()))
        .isInstanceOf(StatusRuntimeException.class);
  }

  private static <T> StreamObserver<T> observer(CompletableFuture<T> done) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        done.complete(value);
      }

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {}
    };
  }
}
