package fabric.drills.cli;

import fabric.drills.workload.S3Register;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The read-back after the workload stopped and the faults healed: every key, strongly
 * consistent, retried through any node until it answers (a key that cannot be read back is
 * left out, and the lost-writes checker reports it as inconclusive).
 */
record FinalRead(Map<String, String> values) {
  private static final Duration PER_KEY = Duration.ofSeconds(60);

  static FinalRead of(List<S3Register> endpoints, String bucket, List<String> keys)
      throws InterruptedException {
    Map<String, String> values = new HashMap<>();
    for (String key : keys) {
      long deadline = System.nanoTime() + PER_KEY.toNanos();
      for (int i = 0; System.nanoTime() < deadline; i++) {
        S3Register.Result r = endpoints.get(i % endpoints.size()).read(bucket, key);
        if (r instanceof S3Register.Ok ok) {
          values.put(key, ok.value());
          break;
        }
        Thread.sleep(200);
      }
    }
    return new FinalRead(values);
  }
}
