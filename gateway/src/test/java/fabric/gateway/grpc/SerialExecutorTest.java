package fabric.gateway.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {
  private final ExecutorService pool = Executors.newFixedThreadPool(8);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  void tasksFromManyThreadsNeverOverlapAndKeepEachSubmittersOrder() throws Exception {
    SerialExecutor serial = new SerialExecutor(pool);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    int submitters = 4;
    int perSubmitter = 5_000;
    List<List<Integer>> seen = new ArrayList<>();
    for (int s = 0; s < submitters; s++) {
      seen.add(new ArrayList<>()); // only touched by serial tasks: no locking needed
    }
    CountDownLatch done = new CountDownLatch(submitters * perSubmitter);
    Thread[] threads = new Thread[submitters];
    for (int s = 0; s < submitters; s++) {
      int submitter = s;
      threads[s] = new Thread(() -> {
        for (int i = 0; i < perSubmitter; i++) {
          int n = i;
          serial.execute(() -> {
            if (running.incrementAndGet() > 1) {
              overlaps.incrementAndGet();
            }
            seen.get(submitter).add(n);
            running.decrementAndGet();
            done.countDown();
          });
        }
      });
      threads[s].start();
    }
    for (Thread t : threads) {
      t.join();
    }

    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(overlaps).hasValue(0);
    for (List<Integer> order : seen) {
      assertThat(order).hasSize(perSubmitter).isSorted();
    }
  }

  @Test
  void aFailingTaskDoesNotStopTheOnesAfterIt() throws Exception {
    SerialExecutor serial = new SerialExecutor(pool);
    CountDownLatch after = new CountDownLatch(1);

    serial.execute(() -> {
      throw new IllegalStateException("boom");
    });
    serial.execute(after::countDown);

    assertThat(after.await(5, TimeUnit.SECONDS)).isTrue();
  }
}
