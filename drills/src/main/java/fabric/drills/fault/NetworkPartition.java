package fabric.drills.fault;

import fabric.drills.cluster.FabricCluster;
import fabric.drills.cluster.NetworkEndpoint;
import fabric.drills.history.FaultEvent;
import fabric.drills.history.History;
import fabric.drills.net.LinkFault;
import fabric.drills.net.NetworkFaults;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A network fault held for a while, then healed: the links between two sides of the fabric
 * cut (or made lossy) in both directions. Which processes form the sides is the
 * {@link Sides} strategy: one AZ against the others, one pair of nodes, one node against
 * everyone. Afterwards it waits until every fabric node on either side serves again (a node
 * downed by the Split Brain Resolver exits, is restarted and rejoins once the network heals).
 */
public final class NetworkPartition implements Fault {
  /** The two sides of the fault, chosen around the target node. */
  public interface Sides {
    String describe(FabricCluster cluster, String target);

    List<NetworkEndpoint> inside(FabricCluster cluster, String target);

    List<NetworkEndpoint> outside(FabricCluster cluster, String target);
  }

  private final String name;
  private final Sides sides;
  private final Duration hold;
  private final int lossPercent;

  public NetworkPartition(String name, Sides sides, Duration hold, int lossPercent) {
    this.name = name;
    this.sides = sides;
    this.hold = hold;
    this.lossPercent = lossPercent;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public FaultEvent inject(FabricCluster cluster, String target, History history)
      throws InterruptedException {
    List<NetworkEndpoint> inside = sides.inside(cluster, target);
    List<NetworkEndpoint> outside = sides.outside(cluster, target);
    List<LinkFault> links = new ArrayList<>();
    for (NetworkEndpoint in : inside) {
      for (NetworkEndpoint out : outside) {
        links.add(new LinkFault(in, out, lossPercent));
        links.add(new LinkFault(out, in, lossPercent));
      }
    }
    String what = (lossPercent == LinkFault.CUT ? "cut " : lossPercent + "% loss ")
        + sides.describe(cluster, target) + " for " + hold.toSeconds() + " s";
    try (NetworkFaults network = new NetworkFaults(cluster.cgroups())) {
      FaultEvent started = history.faultStarted(what, target);
      network.apply(links);
      try {
        Thread.sleep(hold.toMillis());
      } finally {
        network.heal();
      }
      Set<String> nodes = new TreeSet<>();
      for (NetworkEndpoint e : inside) {
        nodes.add(e.name());
      }
      for (NetworkEndpoint e : outside) {
        nodes.add(e.name());
      }
      for (FabricCluster.Node n : cluster.nodes()) {
        if (nodes.contains(n.id())) {
          NodeRecovery.awaitServing(cluster, n.id(), 0);
        }
      }
      return history.faultHealed(started);
    }
  }

  /** The target's whole AZ (its fabric nodes and its Cassandra node) against the rest. */
  public static Sides azAgainstTheRest() {
    return new Sides() {
      @Override
      public String describe(FabricCluster cluster, String target) {
        return "AZ " + cluster.node(target).az() + " from the other AZs";
      }

      @Override
      public List<NetworkEndpoint> inside(FabricCluster cluster, String target) {
        return inAz(cluster, cluster.node(target).az(), true);
      }

      @Override
      public List<NetworkEndpoint> outside(FabricCluster cluster, String target) {
        return inAz(cluster, cluster.node(target).az(), false);
      }
    };
  }

  /** The target node against one node of another AZ; everything else stays connected. */
  public static Sides pairOfNodes() {
    return new Sides() {
      @Override
      public String describe(FabricCluster cluster, String target) {
        return target + " <-> " + peer(cluster, target).id();
      }

      @Override
      public List<NetworkEndpoint> inside(FabricCluster cluster, String target) {
        return List.of(cluster.node(target).endpoint());
      }

      @Override
      public List<NetworkEndpoint> outside(FabricCluster cluster, String target) {
        return List.of(peer(cluster, target).endpoint());
      }
    };
  }

  /** The target node against every other process (fabric nodes and Cassandra). */
  public static Sides nodeAgainstEveryone() {
    return new Sides() {
      @Override
      public String describe(FabricCluster cluster, String target) {
        return "every link of " + target;
      }

      @Override
      public List<NetworkEndpoint> inside(FabricCluster cluster, String target) {
        return List.of(cluster.node(target).endpoint());
      }

      @Override
      public List<NetworkEndpoint> outside(FabricCluster cluster, String target) {
        List<NetworkEndpoint> out = new ArrayList<>();
        cluster.nodes().stream().filter(n -> !n.id().equals(target))
            .forEach(n -> out.add(n.endpoint()));
        cluster.cassandra().forEach(c -> out.add(c.endpoint()));
        return out;
      }
    };
  }

  private static List<NetworkEndpoint> inAz(FabricCluster cluster, String az, boolean in) {
    List<NetworkEndpoint> out = new ArrayList<>();
    cluster.nodes().stream().filter(n -> n.az().equals(az) == in)
        .forEach(n -> out.add(n.endpoint()));
    cluster.cassandra().stream().filter(c -> c.az().equals(az) == in)
        .forEach(c -> out.add(c.endpoint()));
    return out;
  }

  private static FabricCluster.Node peer(FabricCluster cluster, String target) {
    String az = cluster.node(target).az();
    return cluster.nodes().stream().filter(n -> !n.az().equals(az)).findFirst()
        .orElseThrow(() -> new IllegalStateException("no node outside " + az + " to cut "
            + target + " from"));
  }
}
