package fabric.core.topology;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Address;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.Member;

/** The AZ and node address of shard regions, for allocation strategies. */
final class RegionAzs {
  static final String UNKNOWN = "unknown";

  record Placement(String az, Address address) {}

  private RegionAzs() {}

  static Map<ActorRef, Placement> of(Cluster cluster, Collection<ActorRef> regions) {
    Map<Address, String> azByAddress = new HashMap<>();
    for (Member m : cluster.state().getMembers()) {
      azByAddress.put(m.address(), AzRoles.azOf(m.getRoles()).orElse(UNKNOWN));
    }
    Map<ActorRef, Placement> placements = new HashMap<>();
    for (ActorRef ref : regions) {
      // A local region's path has no host: it lives on this node.
      Address address = ref.path().address().hasGlobalScope()
          ? ref.path().address() : cluster.selfAddress();
      placements.put(ref, new Placement(azByAddress.getOrDefault(address, UNKNOWN), address));
    }
    return placements;
  }
}
