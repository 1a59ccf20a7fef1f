package fabric.gateway.grpc;

import fabric.s3.v1.CopyObjectRequest;
import fabric.s3.v1.CopyObjectResponse;
import fabric.s3.v1.CreateBucketRequest;
import fabric.s3.v1.CreateBucketResponse;
import fabric.s3.v1.DeleteBucketRequest;
import fabric.s3.v1.DeleteBucketResponse;
import fabric.s3.v1.DeleteObjectRequest;
import fabric.s3.v1.DeleteObjectResponse;
import fabric.s3.v1.GetObjectRequest;
import fabric.s3.v1.GetObjectResponse;
import fabric.s3.v1.HeadBucketRequest;
import fabric.s3.v1.HeadBucketResponse;
import fabric.s3.v1.HeadObjectRequest;
import fabric.s3.v1.HeadObjectResponse;
import fabric.s3.v1.ListBucketsRequest;
import fabric.s3.v1.ListBucketsResponse;
import fabric.s3.v1.ListObjectsV2Request;
import fabric.s3.v1.ListObjectsV2Response;
import fabric.s3.v1.PutObjectRequest;
import fabric.s3.v1.PutObjectResponse;
import fabric.s3.v1.S3Grpc;
import fabric.storage.service.CopyRequest;
import fabric.storage.service.Download;
import fabric.storage.service.S3Service;
import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * S3 over gRPC: translates protos to {@link S3Service} calls and back, nothing more. Every
 * call ends in exactly one onCompleted or onError, whether S3Service throws, fails its
 * stage, or the mapping itself fails.
 *
 * <p>Implements {@link S3Grpc.AsyncService} rather than extending {@code S3ImplBase}, whose
 * {@code bindService()} is final: binding here adds the {@link AccountInterceptor} that
 * every handler relies on, so the service cannot be served without it.
 */
public final class S3GrpcService implements S3Grpc.AsyncService, BindableService {

  private final S3Service s3;
  private final Executor blobIo;
  private final GrpcErrors errors;
  private final ReadRouting reads;

  /**
   * @param blobIo where object bytes are written and read (blocking file or network I/O);
   *     never a gRPC or Pekko dispatcher thread
   * @param reads where reads of each consistency go
   */
  public S3GrpcService(S3Service s3, Executor blobIo, ReadRouting reads) {
    this.s3 = s3;
    this.blobIo = blobIo;
    this.reads = reads;
    this.errors = new GrpcErrors(GrpcErrors.S3_DOMAIN);
  }

  @Override
  public ServerServiceDefinition bindService() {
    return ServerInterceptors.intercept(S3Grpc.bindService(this), new AccountInterceptor(errors),
        new CallerAz());
  }

  @Override
  public void createBucket(CreateBucketRequest request,
      StreamObserver<CreateBucketResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    unary("CreateBucket", responses,
        () -> s3.createBucket(account, request.getBucket(), request.getLocationConstraint()),
        info -> CreateBucketResponse.newBuilder().setLocation("/" + request.getBucket())
            .build());
  }

  @Override
  public void headBucket(HeadBucketRequest request,
      StreamObserver<HeadBucketResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    String az = CallerAz.current();
    unary("HeadBucket", responses,
        () -> s3.headBucket(account, request.getBucket(),
            reads.resolve(request.getReadConsistency(), az)),
        info -> HeadBucketResponse.newBuilder().setBucketRegion(info.region()).build());
  }

  @Override
  public void listBuckets(ListBucketsRequest request,
      StreamObserver<ListBucketsResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    unary("ListBuckets", responses,
        () -> s3.listBuckets(account),
        buckets -> S3ProtoMapping.listBuckets(account, buckets));
  }

  @Override
  public void deleteBucket(DeleteBucketRequest request,
      StreamObserver<DeleteBucketResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    unary("DeleteBucket", responses,
        () -> s3.deleteBucket(account, request.getBucket()),
        done -> DeleteBucketResponse.getDefaultInstance());
  }

  @Override
  public StreamObserver<PutObjectRequest> putObject(
      StreamObserver<PutObjectResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    return new PutObjectCall(s3, account, responses, errors, new SerialExecutor(blobIo));
  }

  @Override
  public void getObject(GetObjectRequest request, StreamObserver<GetObjectResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    GetObjectCall call = new GetObjectCall(responses, errors, new SerialExecutor(blobIo));
    CompletionStage<Download> lookup;
    try {
      lookup = s3.getObject(account, request.getBucket(), request.getKey(), request.getRange(),
          reads.resolve(request.getReadConsistency(), CallerAz.current()));
    } catch (RuntimeException e) {
      call.fail(e);
      return;
    }
    lookup.whenComplete((download, failure) -> {
      if (failure != null) {
        call.fail(failure);
      } else {
        call.start(download);
      }
    });
  }

  @Override
  public void headObject(HeadObjectRequest request,
      StreamObserver<HeadObjectResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    String az = CallerAz.current();
    unary("HeadObject", responses,
        () -> s3.headObject(account, request.getBucket(), request.getKey(),
            reads.resolve(request.getReadConsistency(), az)),
        entry -> HeadObjectResponse.newBuilder()
            .setMetadata(S3ProtoMapping.metadata(entry)).build());
  }

  @Override
  public void deleteObject(DeleteObjectRequest request,
      StreamObserver<DeleteObjectResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    unary("DeleteObject", responses,
        () -> s3.deleteObject(account, request.getBucket(), request.getKey()),
        existed -> DeleteObjectResponse.getDefaultInstance());
  }

  @Override
  public void copyObject(CopyObjectRequest request,
      StreamObserver<CopyObjectResponse> responses) {
    String account = AccountInterceptor.currentAccount();
    unary("CopyObject", responses,
        () -> s3.copyObject(account, CopyRequest.of(request.getBucket(), request.getKey(),
            request.getCopySource(), request.getMetadataDirective(),
            S3ProtoMapping.attributes(request))),
        S3ProtoMapping::copyResponse);
  }

  @Override
  public void listObjectsV2(ListObjectsV2Request request,
      StreamObserver<ListObjectsV2Response> responses) {
    String account = AccountInterceptor.currentAccount();
    String az = CallerAz.current();
    unary("ListObjectsV2", responses,
        () -> s3.listObjects(account, request.getBucket(), S3ProtoMapping.listQuery(request),
            reads.resolve(request.getReadConsistency(), az)),
        page -> S3ProtoMapping.listResponse(request, page));
  }

  private <T, R> void unary(String operation, StreamObserver<R> responses,
      Supplier<CompletionStage<T>> call, Function<T, R> toResponse) {
    UnaryCalls.unary(errors, operation, responses, call, toResponse);
  }
}
