package fabric.gateway.grpc;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs tasks one at a time, in submission order, on a shared executor. A streaming call's
 * blob state (an Upload, a BlobReader) is not thread-safe and its gRPC callbacks arrive on
 * several threads; funnelling every step through one of these keeps that state confined
 * without dedicating a thread to each call. The queue hand-off gives each task a
 * happens-before edge to the next.
 */
final class SerialExecutor implements Executor {
  private final Executor delegate;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean running = new AtomicBoolean();

  SerialExecutor(Executor delegate) {
    this.delegate = delegate;
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    schedule();
  }

  private void schedule() {
    if (tasks.isEmpty() || !running.compareAndSet(false, true)) {
      return;
    }
    try {
      delegate.execute(this::drain);
    } catch (RejectedExecutionException e) {
      running.set(false);
      throw e;
    }
  }

  private void drain() {
    try {
      Runnable task;
      while ((task = tasks.poll()) != null) {
        task.run();
      }
    } finally {
      running.set(false);
      // A task added between the last poll and the reset would otherwise wait forever.
      schedule();
    }
  }
}
