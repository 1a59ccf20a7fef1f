package fabric.drills.fault;

import fabric.drills.cluster.CassandraWipe;
import fabric.drills.cluster.FabricCluster;
import fabric.drills.cluster.Signals;
import fabric.drills.history.FaultEvent;
import fabric.drills.history.History;
import fabric.drills.workload.S3Register;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole AZ lost: kill -9 of every fabric node and the Cassandra node of the target's AZ.
 * The supervisor restarts the fabric nodes, but nothing restarts that AZ's Cassandra, so
 * the AZ stays down for the rest of the drill: the region must keep serving from the other
 * two (QUORUM is 2 of 3). Before the loss it stores one STANDARD and one ONEZONE_IA object
 * through the target node; during the loss the STANDARD one must read back and the One Zone
 * one must not (its only copy is in the lost AZ), as on AWS.
 *
 * <p>With {@code destroy}, the AZ's data is then destroyed ({@link CassandraWipe}) and its
 * Cassandra node brought back empty: the STANDARD object must still read back (from the
 * other AZs' replicas), the One Zone object must be gone for good.
 */
public final class AzDown implements Fault {
  /** An empty Cassandra node starts in ~30 s; the nodes of its AZ then rejoin (~3 min). */
  private static final Duration RESTORE_WITHIN = Duration.ofMinutes(6);

  private final Duration settle;
  private final String bucket;
  private final List<S3Register> endpoints;
  private final boolean destroy;
  private final List<String> findings = new ArrayList<>();
  private boolean expectationsMet = true;

  /**
   * @param settle how long after the loss the storage classes are probed
   * @param endpoints clients of every node, to write through the target and read elsewhere
   */
  public AzDown(Duration settle, String bucket, List<S3Register> endpoints, boolean destroy) {
    this.destroy = destroy;
    this.settle = settle;
    this.bucket = bucket;
    this.endpoints = endpoints;
  }

  @Override
  public String name() {
    return destroy ? "az-destroyed" : "az-down";
  }

  /** True if the AZ comes back (empty) before the drill ends. */
  public boolean destroys() {
    return destroy;
  }

  /** What the storage-class probes found, for the report. */
  public List<String> findings() {
    return findings;
  }

  /** False if a STANDARD object was lost or a One Zone object outlived its AZ. */
  public boolean expectationsMet() {
    return expectationsMet;
  }

  @Override
  public FaultEvent inject(FabricCluster cluster, String target, History history)
      throws InterruptedException {
    String az = cluster.node(target).az();
    S3Register through = endpoint(target);
    String standardKey = "probe-standard-" + az;
    String oneZoneKey = "probe-onezone-" + az;
    expect(through.write(bucket, standardKey, "standard", "STANDARD")
        instanceof S3Register.Ok, "STANDARD probe written through " + target);
    expect(through.write(bucket, oneZoneKey, "one zone", "ONEZONE_IA")
        instanceof S3Register.Ok, "ONEZONE_IA probe written through " + target);

    FaultEvent started = history.faultStarted("AZ " + az + " down", target);
    for (FabricCluster.CassandraNode c : cluster.cassandra()) {
      if (c.az().equals(az)) {
        Signals.kill9(c.pid());
      }
    }
    for (FabricCluster.Node n : cluster.nodes()) {
      if (n.az().equals(az)) {
        Signals.kill9(n.pid());
      }
    }
    Thread.sleep(settle.toMillis());
    S3Register survivor = endpoints.stream()
        .filter(e -> !cluster.node(e.nodeId()).az().equals(az)).findFirst().orElseThrow();
    S3Register.Result standard = readWithRetries(survivor, standardKey);
    expect(standard instanceof S3Register.Ok ok && "standard".equals(ok.value()),
        "STANDARD object readable through " + survivor.nodeId() + " while " + az
            + " is down: " + standard);
    S3Register.Result oneZone = survivor.read(bucket, oneZoneKey);
    expect(!(oneZone instanceof S3Register.Ok ok && "one zone".equals(ok.value())),
        "ONEZONE_IA object unavailable while " + az + " is down: " + oneZone);
    if (destroy) {
      destroyAndRestore(cluster, az, survivor, standardKey, oneZoneKey);
    }
    // Without destroy the AZ's Cassandra stays down: the degraded region keeps serving.
    return history.faultHealed(started);
  }

  private void destroyAndRestore(FabricCluster cluster, String az, S3Register survivor,
      String standardKey, String oneZoneKey) throws InterruptedException {
    FabricCluster.CassandraNode lost = cluster.cassandra().stream()
        .filter(c -> c.az().equals(az)).findFirst()
        .orElseThrow(() -> new IllegalStateException("no Cassandra node in " + az));
    int files = CassandraWipe.userData(lost.dataDir());
    findings.add("info   destroyed " + az + ": deleted " + files + " files of "
        + lost.processName() + " (keyspaces, commit log, hints)");
    cluster.restartCassandra(az, RESTORE_WITHIN);
    for (FabricCluster.Node n : cluster.nodes()) {
      if (n.az().equals(az)) {
        // Its restarts failed while its Cassandra node was gone (backing off up to 30 s),
        // and it starts while that node takes hints and read repairs: allow twice the usual.
        expect(NodeRecovery.awaitServing(cluster, n.id(), 0, RESTORE_WITHIN),
            n.id() + " serves again");
      }
    }
    S3Register standard = readWithRetries(survivor, standardKey) instanceof S3Register.Ok ok
        && "standard".equals(ok.value()) ? survivor : null;
    expect(standard != null, "STANDARD object readable after " + az + "'s data was "
        + "destroyed");
    for (S3Register via : endpoints) {
      S3Register.Result oneZone = via.read(bucket, oneZoneKey);
      expect(!(oneZone instanceof S3Register.Ok), "ONEZONE_IA object gone after " + az
          + "'s data was destroyed (read through " + via.nodeId() + "): " + oneZone);
    }
  }

  private S3Register.Result readWithRetries(S3Register via, String key)
      throws InterruptedException {
    S3Register.Result r = null;
    for (int i = 0; i < 20; i++) {
      r = via.read(bucket, key);
      if (r instanceof S3Register.Ok) {
        return r;
      }
      Thread.sleep(500);
    }
    return r;
  }

  private void expect(boolean met, String what) {
    findings.add((met ? "ok    " : "FAILED ") + what);
    expectationsMet &= met;
  }

  private S3Register endpoint(String nodeId) {
    return endpoints.stream().filter(e -> e.nodeId().equals(nodeId)).findFirst().orElseThrow();
  }
}
