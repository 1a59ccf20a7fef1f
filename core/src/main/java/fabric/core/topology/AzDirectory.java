package fabric.core.topology;

import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/** The AZs of the cluster as its membership shows them (each node's {@code az:} role). */
public final class AzDirectory {
  private final Cluster cluster;

  public AzDirectory(ActorSystem<?> system) {
    this.cluster = Cluster.get(system);
  }

  /** Every AZ that has a member in any state: the AZs a request may name. */
  public Set<String> knownAzs() {
    Set<String> azs = new TreeSet<>();
    for (Member m : cluster.state().getMembers()) {
      AzRoles.azOf(m.getRoles()).ifPresent(azs::add);
    }
    AzRoles.azOf(cluster.selfMember().getRoles()).ifPresent(azs::add);
    return azs;
  }

  /** AZs with at least one Up, reachable member: where followers can live and answer. */
  public Set<String> servingAzs() {
    Set<String> azs = new TreeSet<>();
    var unreachable = cluster.state().getUnreachable();
    for (Member m : cluster.state().getMembers()) {
      if (m.status() == MemberStatus.up() && !unreachable.contains(m)) {
        AzRoles.azOf(m.getRoles()).ifPresent(azs::add);
      }
    }
    return azs;
  }
}
