package fabric.drills.fault;

import fabric.drills.cluster.FabricCluster;
import fabric.drills.net.LinkFault;
import fabric.drills.workload.S3Register;
import java.time.Duration;
import java.util.List;

/** The drills by name, as {@code ./fabric drill NAME} knows them. */
public final class FaultCatalog {
  public static final List<String> NAMES = List.of("kill", "pause", "az-down",
      "az-destroyed", "partition-az", "partition-pair", "lossy", "clock-skew", "disk-full", "slow-link");

  /** The knobs of the faults; each fault reads the ones it needs. */
  public record Settings(Duration pause, Duration hold, int lossPercent, Duration skew,
      Duration linkDelay) {}

  private FaultCatalog() {}

  public static Fault create(String name, Settings settings, String bucket,
      List<S3Register> endpoints) {
    switch (name) {
      case "kill":
        return new KillNode();
      case "pause":
        return new PauseNode(settings.pause());
      case "az-down":
        return new AzDown(settings.pause(), bucket, endpoints, false);
      case "az-destroyed":
        return new AzDown(settings.pause(), bucket, endpoints, true);
      case "partition-az":
        return new NetworkPartition(name, NetworkPartition.azAgainstTheRest(),
            settings.hold(), LinkFault.CUT);
      case "partition-pair":
        return new NetworkPartition(name, NetworkPartition.pairOfNodes(), settings.hold(),
            LinkFault.CUT);
      case "lossy":
        return new NetworkPartition(name, NetworkPartition.nodeAgainstEveryone(),
            settings.hold(), settings.lossPercent());
      case "clock-skew":
        return new ClockSkew(settings.skew(), settings.hold());
      case "disk-full":
        return new DiskFull(settings.hold());
      case "slow-link":
        return new SlowLink(settings.linkDelay(), settings.hold());
      default:
        throw new IllegalArgumentException("unknown drill '" + name + "': use "
            + String.join(", ", NAMES));
    }
  }

  /**
   * Fails with a message that says what is missing when the running fabric cannot take the
   * fault (no cgroups to cut links by, no controllable clocks), before any workload starts.
   */
  public static void checkSupported(String name, FabricCluster cluster) {
    switch (name) {
      case "partition-az":
      case "partition-pair":
      case "lossy":
        cluster.cgroups();
        break;
      case "clock-skew":
        cluster.clockFile(cluster.nodes().get(0).id());
        break;
      case "disk-full":
        DiskFull.checkSupported(cluster);
        break;
      case "slow-link":
        cluster.linkDelayFile(cluster.nodes().get(0).id());
        break;
      case "az-destroyed":
        if (cluster.cassandra().stream().anyMatch(c -> c.dataDir().toString().isEmpty())) {
          throw new IllegalStateException("the fabric does not record its Cassandra data "
              + "dirs (started by an older ./fabric): restart it to destroy an AZ");
        }
        break;
      default:
        break;
    }
  }

  /** True for faults that happen once per drill (nothing brings the fabric back as it was). */
  public static boolean once(Fault fault) {
    return fault instanceof AzDown;
  }

  /**
   * True for faults under which no node may exit except the ones the drill kills: a kill
   * takes down its target only; a full disk, a skewed clock and a slow link below the
   * failure detector's acceptable pause take down nobody. (Pauses, partitions, lost packets
   * and AZ losses may rightly get nodes downed.)
   */
  public static boolean downsOnlyWhatItKills(Fault fault) {
    return fault instanceof KillNode || fault instanceof DiskFull || fault instanceof ClockSkew
        || (fault instanceof SlowLink slow && slow.belowAcceptablePause());
  }

  /** True if an AZ is still down when the fault ends (its followers cannot catch up). */
  public static boolean leavesAzDown(Fault fault) {
    return fault instanceof AzDown azDown && !azDown.destroys();
  }
}
