package fabric.drills.fault;

import fabric.drills.cluster.FabricCluster;
import fabric.drills.history.FaultEvent;
import fabric.drills.history.History;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A slow (not lossy) link: everything the other nodes send the target arrives {@code delay}
 * late, for {@code hold}. The delay comes from the supervisor's proxy in front of the
 * target's remoting port (./fabric up --link-control), which re-reads the target's delay
 * file every 200 ms; there is no netem on these machines. Below the failure detector's
 * acceptable pause nothing may be downed; above it the target is as good as cut off.
 */
public final class SlowLink implements Fault {
  /** The proxy re-reads the file this often. */
  private static final Duration FILE_REREAD = Duration.ofMillis(200);

  private final Duration delay;
  private final Duration hold;

  public SlowLink(Duration delay, Duration hold) {
    this.delay = delay;
    this.hold = hold;
  }

  /**
   * The fabric's acceptable heartbeat pause (node reference.conf): a delay below it must not
   * get anyone downed; above it the phi detector may see one long gap.
   */
  static final Duration ACCEPTABLE_PAUSE = Duration.ofSeconds(2);

  public boolean belowAcceptablePause() {
    return delay.compareTo(ACCEPTABLE_PAUSE) < 0;
  }

  @Override
  public String name() {
    return "slow-link";
  }

  @Override
  public FaultEvent inject(FabricCluster cluster, String target, History history)
      throws InterruptedException {
    Path file = cluster.linkDelayFile(target);
    FaultEvent started = history.faultStarted("+" + delay.toMillis() + " ms on every link into "
        + target + " for " + hold.toSeconds() + " s", target);
    ControlFile.hold(file, Long.toString(delay.toMillis()), "0", hold.plus(FILE_REREAD));
    // Bytes already queued still take the delay; then the node must serve (or, if it was
    // downed, be back from its restart).
    Thread.sleep(delay.plus(FILE_REREAD).toMillis());
    NodeRecovery.awaitServing(cluster, target, 0);
    return history.faultHealed(started);
  }
}
