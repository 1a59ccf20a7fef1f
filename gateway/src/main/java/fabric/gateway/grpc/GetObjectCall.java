package fabric.gateway.grpc;

import com.google.protobuf.ByteString;
import fabric.core.blob.BlobReader;
import fabric.core.error.CommonErrors;
import fabric.s3.v1.GetObjectResponse;
import fabric.storage.service.Download;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server-streaming GetObject. Chunks are read only while the client's flow-control
 * window has room ({@code isReady}), so a slow reader holds the server at one chunk, not the
 * whole object. The pump runs on a {@link SerialExecutor}: it never overlaps itself, and the
 * reader (not thread-safe, blocking) is only ever touched there.
 */
final class GetObjectCall {
  private static final Logger log = LoggerFactory.getLogger(GetObjectCall.class);
  private static final String OPERATION = "GetObject";
  /** Well under the 4 MiB a gRPC client accepts by default, whatever the blob chunk size. */
  static final int MAX_MESSAGE_BYTES = 1024 * 1024;

  private final ServerCallStreamObserver<GetObjectResponse> out;
  private final GrpcErrors errors;
  private final SerialExecutor io;
  private final AtomicBoolean abandoned = new AtomicBoolean();
  private volatile boolean cancelled;
  // Written only by tasks on `io`; read elsewhere to skip work for a finished call.
  private volatile boolean done;

  // Touched only by tasks on `io`.
  private Download download;
  private BlobReader reader;
  private boolean headerSent;
  private byte[] chunk;
  private int offset;

  /** Must be called from the rpc method itself: the handlers can only be set there. */
  GetObjectCall(StreamObserver<GetObjectResponse> responses, GrpcErrors errors,
      SerialExecutor io) {
    this.out = (ServerCallStreamObserver<GetObjectResponse>) responses;
    this.errors = errors;
    this.io = io;
    out.setOnCancelHandler(() -> {
      cancelled = true;
      submit(this::finish);
    });
    out.setOnReadyHandler(() -> submit(this::pump));
  }

  /** The object was found: open it and start streaming. */
  void start(Download resolved) {
    submit(() -> {
      if (done || cancelled) {
        return;
      }
      download = resolved;
      reader = resolved.open();
      pump();
    });
  }

  /** The lookup failed: answer with the error. */
  void fail(Throwable failure) {
    submit(() -> failNow(failure));
  }

  private void pump() {
    if (done || reader == null) {
      return;
    }
    while (!cancelled && out.isReady()) {
      if (chunk == null || offset == chunk.length) {
        chunk = reader.next();
        offset = 0;
        if (chunk == null) {
          if (!headerSent) {
            out.onNext(header().build()); // an empty object or range still has metadata
          }
          finish();
          out.onCompleted();
          return;
        }
        if (chunk.length == 0) {
          continue;
        }
      }
      int n = Math.min(MAX_MESSAGE_BYTES, chunk.length - offset);
      GetObjectResponse.Builder message = headerSent
          ? GetObjectResponse.newBuilder() : header();
      message.setData(ByteString.copyFrom(chunk, offset, n));
      offset += n;
      out.onNext(message.build());
    }
  }

  private GetObjectResponse.Builder header() {
    headerSent = true;
    return GetObjectResponse.newBuilder()
        .setMetadata(S3ProtoMapping.metadata(download.entry(), download.range()));
  }

  private void failNow(Throwable failure) {
    if (done) {
      return;
    }
    finish();
    if (!cancelled) {
      try {
        out.onError(errors.toStatus(failure, OPERATION));
      } catch (RuntimeException e) {
        log.debug("GetObject call was already closed", e);
      }
    }
  }

  /** Ends the call's use of the blob; safe to call more than once. */
  private void finish() {
    done = true;
    chunk = null;
    if (reader != null) {
      try {
        reader.close();
      } catch (RuntimeException e) {
        log.debug("closing a blob reader failed", e);
      }
      reader = null;
    }
  }

  private void submit(Runnable task) {
    try {
      io.execute(() -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          failNow(e); // a corrupted chunk, a vanished blob, or a failed read
        }
      });
    } catch (RejectedExecutionException e) {
      // The blob I/O pool is shutting down; the reader, if any, dies with the process.
      if (!cancelled && !done && abandoned.compareAndSet(false, true)) {
        out.onError(errors.toStatus(
            CommonErrors.ServiceUnavailable.exception("The server is shutting down"),
            OPERATION));
      }
    }
  }
}
