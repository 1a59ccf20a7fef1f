package fabric.drills.cli;

import fabric.drills.check.CheckResult;
import fabric.drills.check.StuckReplica;
import fabric.drills.check.Violation;
import fabric.drills.cluster.FabricCluster;
import fabric.drills.cluster.FabricCluster.Follower;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * After the workload: every AZ's follower of the drill's resource must catch up with the
 * leader (no lag, all at one sequence number) within a bound. A follower whose journal
 * replay keeps failing - two writers at one sequence number, caught by the replay filter -
 * never does, and the drill fails with what the cluster view showed.
 */
final class ReplicaConvergence {
  static final String CHECKER = "replicas";
  private static final Duration POLL = Duration.ofMillis(500);

  private ReplicaConvergence() {}

  static CheckResult check(FabricCluster cluster, String type, String id, Duration within)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    List<Follower> followers = List.of();
    while (System.nanoTime() < deadline) {
      followers = cluster.followersOf(type, id);
      if (converged(cluster, followers)) {
        return CheckResult.of(CHECKER, 1, List.of(), List.of());
      }
      Thread.sleep(POLL.toMillis());
    }
    String key = type + "/" + id;
    List<Violation> stuck = new ArrayList<>();
    long newest = followers.stream().mapToLong(Follower::appliedSeqNr).max().orElse(0);
    for (Follower f : followers) {
      if (f.lagEvents() > 0 || f.appliedSeqNr() < newest) {
        stuck.add(new StuckReplica(key, f.az(), f.nodeId(), f.appliedSeqNr(), f.lagEvents(),
            "follower of " + key + " in " + f.az() + " on " + f.nodeId() + " stuck at seqNr "
                + f.appliedSeqNr() + " (" + f.lagEvents() + " events behind, newest follower "
                + "at " + newest + ") " + within.toSeconds() + " s after the workload; see "
                + "that node's log for the failed journal replay"));
      }
    }
    for (String az : missingAzs(cluster, followers)) {
      stuck.add(new StuckReplica(key, az, "", 0, 0, "no follower of " + key + " in " + az
          + " " + within.toSeconds() + " s after the workload"));
    }
    if (stuck.isEmpty()) { // converged between the last poll and the deadline
      return CheckResult.of(CHECKER, 1, List.of(), List.of());
    }
    return CheckResult.of(CHECKER, 1, stuck, List.of());
  }

  private static boolean converged(FabricCluster cluster, List<Follower> followers) {
    if (followers.isEmpty() || !missingAzs(cluster, followers).isEmpty()) {
      return false;
    }
    long first = followers.get(0).appliedSeqNr();
    return followers.stream().allMatch(f -> f.lagEvents() == 0 && f.appliedSeqNr() == first);
  }

  private static Set<String> missingAzs(FabricCluster cluster, List<Follower> followers) {
    Set<String> azs = new TreeSet<>();
    cluster.nodes().forEach(n -> azs.add(n.az()));
    followers.forEach(f -> azs.remove(f.az()));
    return azs;
  }
}
