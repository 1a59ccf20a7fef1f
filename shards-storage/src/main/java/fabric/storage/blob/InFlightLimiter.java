package fabric.storage.blob;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * At most N asynchronous requests at once, so an upload pipelines without queueing an
 * unbounded number of chunk copies in the driver. Remembers the first failure.
 */
final class InFlightLimiter {

  private final int maxInFlight;
  private final Semaphore permits;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  InFlightLimiter(int maxInFlight) {
    this.maxInFlight = maxInFlight;
    this.permits = new Semaphore(maxInFlight);
  }

  /** Blocks while N requests are outstanding, then starts one more. */
  void submit(Supplier<? extends CompletionStage<?>> request) {
    throwIfFailed();
    permits.acquireUninterruptibly();
    CompletionStage<?> stage;
    try {
      stage = request.get();
    } catch (RuntimeException e) {
      permits.release();
      throw e;
    }
    stage.whenComplete((ignored, error) -> {
      if (error != null) {
        failure.compareAndSet(null, error);
      }
      permits.release();
    });
  }

  /** Waits for every outstanding request; throws the first failure, if any. */
  void awaitAll() {
    permits.acquireUninterruptibly(maxInFlight);
    permits.release(maxInFlight);
    throwIfFailed();
  }

  /** Waits without throwing: for clean-up paths that must not stop halfway. */
  void drain() {
    permits.acquireUninterruptibly(maxInFlight);
    permits.release(maxInFlight);
  }

  private void throwIfFailed() {
    Throwable error = failure.get();
    if (error != null) {
      throw unwrap(error);
    }
  }

  static RuntimeException unwrap(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null
        ? error.getCause() : error;
    return cause instanceof RuntimeException runtime
        ? runtime : new IllegalStateException("asynchronous request failed", cause);
  }
}
