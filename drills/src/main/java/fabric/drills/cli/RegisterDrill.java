package fabric.drills.cli;

import fabric.drills.check.CheckResult;
import fabric.drills.check.LinearizabilityChecker;
import fabric.drills.check.LostWritesChecker;
import fabric.drills.cluster.FabricCluster;
import fabric.drills.history.History;
import fabric.drills.workload.RegisterWorkload;
import fabric.drills.workload.S3Register;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The S3 workload: registers (objects of the drill's bucket) read, written and
 * compare-and-set; afterwards every key is read back and checked for lost writes and
 * linearizability.
 */
final class RegisterDrill implements DrillWorkload {
  private final List<S3Register> endpoints;
  private final String bucket;
  private final List<String> keys;
  private final int clients;
  private final RegisterWorkload workload;
  private final History history;
  private final Duration replicaCatchUp;

  RegisterDrill(History history, List<S3Register> endpoints, String bucket, int keys,
      int clients, Duration replicaCatchUp) {
    this.history = history;
    this.endpoints = endpoints;
    this.bucket = bucket;
    this.keys = IntStream.range(0, keys).mapToObj(i -> "k" + i).toList();
    this.clients = clients;
    this.replicaCatchUp = replicaCatchUp;
    this.workload = new RegisterWorkload(history, endpoints, bucket, this.keys, clients);
  }

  @Override
  public String describe() {
    return clients + " clients on " + keys.size() + " keys of bucket " + bucket + " through "
        + endpoints.size() + " nodes";
  }

  @Override
  public void start() {
    workload.start();
  }

  /** Every key lives in the one bucket, whose leader the fault hits: every call counts. */
  @Override
  public Target target(int round) {
    return new Target(new Resource("Bucket", bucket), call -> true);
  }

  @Override
  public void stop() throws InterruptedException {
    workload.stop();
  }

  @Override
  public List<CheckResult> check(FabricCluster cluster, boolean checkReplicas)
      throws InterruptedException {
    FinalRead finalRead = FinalRead.of(endpoints, bucket, keys);
    List<CheckResult> results = new ArrayList<>();
    results.add(LostWritesChecker.checkRegisters(history, finalRead.values()));
    results.add(new LinearizabilityChecker().check(history));
    if (checkReplicas) {
      results.add(ReplicaConvergence.check(cluster, "Bucket", bucket, replicaCatchUp));
    }
    return results;
  }
}
