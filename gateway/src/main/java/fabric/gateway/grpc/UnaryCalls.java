package fabric.gateway.grpc;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answering one unary gRPC call from an asynchronous operation, for every service. */
final class UnaryCalls {
  private static final Logger log = LoggerFactory.getLogger(UnaryCalls.class);

  private UnaryCalls() {}

  /**
   * Runs {@code call} (which may throw a validation error before any stage exists) and
   * answers from its outcome; every failure becomes a status through {@code errors}.
   */
  static <T, R> void unary(GrpcErrors errors, String operation, StreamObserver<R> responses,
      Supplier<CompletionStage<T>> call, Function<T, R> toResponse) {
    CompletionStage<T> stage;
    try {
      stage = call.get();
    } catch (RuntimeException e) {
      responses.onError(errors.toStatus(e, operation));
      return;
    }
    stage.whenComplete((value, failure) -> {
      if (failure != null) {
        responses.onError(errors.toStatus(failure, operation));
        return;
      }
      R response;
      try {
        response = toResponse.apply(value);
      } catch (RuntimeException e) {
        responses.onError(errors.toStatus(e, operation));
        return;
      }
      try {
        responses.onNext(response);
        responses.onCompleted();
      } catch (RuntimeException e) {
        // The call was closed under us (cancelled by the client): nobody is listening.
        log.debug("{}: could not send the response", operation, e);
      }
    });
  }
}
