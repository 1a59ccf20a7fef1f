package fabric.drills.fault;

import fabric.drills.cluster.FabricCluster;
import fabric.drills.history.FaultEvent;
import fabric.drills.history.History;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One node's wall clock moved by an offset for a while, then set right again. The node runs
 * under libfaketime (./fabric up --clock-control), which re-reads the node's clock file
 * every second; monotonic time stays real, as NTP stepping the wall clock would leave it.
 * Nothing that decides who leads or what is acknowledged may depend on wall clocks.
 */
public final class ClockSkew implements Fault {
  /** libfaketime re-reads the file this often (FAKETIME_CACHE_DURATION). */
  private static final Duration FILE_REREAD = Duration.ofSeconds(1);

  private final Duration offset;
  private final Duration hold;

  public ClockSkew(Duration offset, Duration hold) {
    this.offset = offset;
    this.hold = hold;
  }

  @Override
  public String name() {
    return "clock-skew";
  }

  @Override
  public FaultEvent inject(FabricCluster cluster, String target, History history)
      throws InterruptedException {
    Path clock = cluster.clockFile(target);
    String skew = (offset.isNegative() ? "" : "+") + offset.toSeconds();
    FaultEvent started = history.faultStarted("clock " + skew + " s for "
        + hold.toSeconds() + " s", target);
    ControlFile.hold(clock, skew, "+0", hold.plus(FILE_REREAD));
    Thread.sleep(FILE_REREAD.toMillis());
    NodeRecovery.awaitServing(cluster, target, 0);
    return history.faultHealed(started);
  }
}
