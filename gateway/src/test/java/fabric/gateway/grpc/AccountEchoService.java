package fabric.gateway.grpc;

import fabric.s3.v1.ListBucketsRequest;
import fabric.s3.v1.ListBucketsResponse;
import fabric.s3.v1.Owner;
import fabric.s3.v1.PutObjectRequest;
import fabric.s3.v1.PutObjectResponse;
import fabric.s3.v1.S3Grpc;
import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;

/**
 * A test-only S3 service with no storage behind it: ListBuckets answers with the caller's
 * account as owner, PutObject with the number of bytes received. Enough to exercise the
 * interceptor and the server's settings through real gRPC transports.
 */
final class AccountEchoService implements S3Grpc.AsyncService, BindableService {
  @Override
  public ServerServiceDefinition bindService() {
    return ServerInterceptors.intercept(S3Grpc.bindService(this),
        new AccountInterceptor(new GrpcErrors(GrpcErrors.S3_DOMAIN)));
  }

  @Override
  public void listBuckets(ListBucketsRequest request,
      StreamObserver<ListBucketsResponse> responses) {
    responses.onNext(ListBucketsResponse.newBuilder()
        .setOwner(Owner.newBuilder().setId(AccountInterceptor.currentAccount())).build());
    responses.onCompleted();
  }

  @Override
  public StreamObserver<PutObjectRequest> putObject(
      StreamObserver<PutObjectResponse> responses) {
    return new StreamObserver<>() {
      private long size;

      @Override
      public void onNext(PutObjectRequest message) {
        size += message.getData().size();
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        responses.onNext(PutObjectResponse.newBuilder().setSize(size).build());
        responses.onCompleted();
      }
    };
  }
}
