package fabric.gateway.grpc;

import fabric.core.error.CommonErrors;
import fabric.s3.v1.PutObjectRequest;
import fabric.s3.v1.PutObjectResponse;
import fabric.storage.S3Errors;
import fabric.storage.service.S3Service;
import fabric.storage.service.Upload;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.RejectedExecutionException;

/**
 * One client-streaming PutObject. Each message is written to the blob before the next one
 * is requested, so memory holds at most one message however large the object is. Every
 * step runs on a {@link SerialExecutor} over the blob I/O pool: the {@link Upload} is not
 * thread-safe, its writes block, and completion must follow the last write.
 */
final class PutObjectCall implements StreamObserver<PutObjectRequest> {
  private static final String OPERATION = "PutObject";

  private final S3Service s3;
  private final String account;
  private final ServerCallStreamObserver<PutObjectResponse> out;
  private final GrpcErrors errors;
  private final SerialExecutor io;

  // Touched only by tasks on `io` (and `done` by the rejection path, when none can run).
  private Upload upload;
  private boolean started;
  private volatile boolean done;

  /** Must be called from the rpc method itself: flow control is set up here. */
  PutObjectCall(S3Service s3, String account, StreamObserver<PutObjectResponse> responses,
      GrpcErrors errors, SerialExecutor io) {
    this.s3 = s3;
    this.account = account;
    this.out = (ServerCallStreamObserver<PutObjectResponse>) responses;
    this.errors = errors;
    this.io = io;
    out.disableAutoRequest();
    out.setOnCancelHandler(() -> submit(this::cancelled));
    out.request(1);
  }

  @Override
  public void onNext(PutObjectRequest message) {
    submit(() -> write(message));
  }

  @Override
  public void onError(Throwable t) {
    submit(this::cancelled); // the client went away: nothing to answer
  }

  @Override
  public void onCompleted() {
    submit(this::complete);
  }

  private void write(PutObjectRequest message) {
    if (done) {
      return;
    }
    try {
      if (!started) {
        started = true;
        if (message.getBucket().isEmpty() || message.getKey().isEmpty()) {
          throw S3Errors.InvalidArgument.exception(
              "The first PutObject message must carry bucket and key");
        }
        upload = s3.startUpload(account, message.getBucket(), message.getKey(),
            S3ProtoMapping.attributes(message));
      } else if (S3ProtoMapping.hasHeaderFields(message)) {
        throw S3Errors.InvalidArgument.exception("Only the first PutObject message may carry "
            + "bucket, key and object attributes; later messages carry only data");
      }
      if (!message.getData().isEmpty()) {
        byte[] bytes = message.getData().toByteArray();
        upload.write(bytes, 0, bytes.length);
      }
    } catch (RuntimeException e) {
      fail(e);
      return;
    }
    out.request(1);
  }

  private void complete() {
    if (done) {
      return;
    }
    if (upload == null) {
      fail(S3Errors.InvalidArgument.exception(
          "PutObject received no message: the first one must carry bucket and key"));
      return;
    }
    done = true;
    try {
      upload.complete().whenComplete((entry, failure) -> {
        if (failure != null) {
          out.onError(errors.toStatus(failure, OPERATION));
        } else {
          out.onNext(S3ProtoMapping.putResponse(entry));
          out.onCompleted();
        }
      });
    } catch (RuntimeException e) {
      upload.abort();
      out.onError(errors.toStatus(e, OPERATION));
    }
  }

  private void fail(Throwable failure) {
    done = true;
    if (upload != null) {
      upload.abort();
    }
    out.onError(errors.toStatus(failure, OPERATION));
  }

  private void cancelled() {
    if (done) {
      return;
    }
    done = true;
    if (upload != null) {
      upload.abort();
    }
  }

  private void submit(Runnable task) {
    try {
      io.execute(() -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          // Only reachable if answering the call itself threw; the call is lost either way.
          if (!done) {
            fail(e);
          }
        }
      });
    } catch (RejectedExecutionException e) {
      // The blob I/O pool is shutting down: no task of this call can run any more.
      if (!done) {
        done = true;
        out.onError(errors.toStatus(
            CommonErrors.ServiceUnavailable.exception("The server is shutting down"),
            OPERATION));
      }
    }
  }
}
