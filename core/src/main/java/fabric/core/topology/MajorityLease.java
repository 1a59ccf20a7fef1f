package fabric.core.topology;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The fence that keeps an old leader from acknowledging anything once a new leader may
 * have taken over. A node holds the lease while it is Up and reaches a strict majority of
 * the cluster's voting members (Up or Leaving), and has not just woken from a pause.
 *
 * <p>Why this is enough: a new leader for a resource starts only after the Split Brain
 * Resolver downed the old leader's node, which needs the majority side to see that node
 * unreachable for {@code acceptable-heartbeat-pause} plus {@code stable-after}, plus the
 * down-removal margin. Failure detection is symmetric, so a node cut off from the majority
 * sees the majority unreachable at about the time the majority sees it, and loses the lease
 * {@code stable-after + margin} before anyone else can lead its resources. A process that
 * was paused (SIGSTOP, a long GC) sees its own clock jump; if the pause was long enough for
 * the others to give up on it, it holds no lease until {@link #pauseFence} has passed, by
 * which time it has either learned it was downed (and stops) or been confirmed reachable.
 */
public final class MajorityLease implements Extension {
  private static final long TICK_MILLIS = 100;

  private final Cluster cluster;
  private final long pauseThresholdNanos;
  private final long pauseFenceNanos;
  private final ScheduledExecutorService ticker;
  private volatile long lastTickNanos = System.nanoTime();
  private volatile long fencedUntilNanos = System.nanoTime();

  private MajorityLease(ActorSystem<?> system) {
    this.cluster = Cluster.get(system);
    var config = system.settings().config();
    Duration pause = config.getDuration("pekko.cluster.failure-detector.acceptable-heartbeat-pause");
    Duration stableAfter = config.getDuration("pekko.cluster.split-brain-resolver.stable-after");
    this.pauseThresholdNanos = pause.toNanos();
    this.pauseFenceNanos = pause.plus(stableAfter).toNanos();
    this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "majority-lease-" + system.name());
      t.setDaemon(true);
      return t;
    });
    ticker.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    system.getWhenTerminated().thenRun(ticker::shutdownNow);
  }

  public static MajorityLease get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  /** Duration a fence lasts after a pause is detected. */
  public Duration pauseFence() {
    return Duration.ofNanos(pauseFenceNanos);
  }

  private void tick() {
    long now = System.nanoTime();
    long gap = now - lastTickNanos;
    lastTickNanos = now;
    if (gap > pauseThresholdNanos) {
      fencedUntilNanos = now + pauseFenceNanos;
    }
  }

  /** Empty while this node may acknowledge; otherwise why it may not. */
  public Optional<String> fenced() {
    long now = System.nanoTime();
    // The second test catches a pause the ticker has not run since (just woken up).
    if (now - fencedUntilNanos < 0 || now - lastTickNanos > pauseThresholdNanos) {
      return Optional.of("this node was paused long enough for another to take over");
    }
    Member self = cluster.selfMember();
    if (self.status() != MemberStatus.up()) {
      return Optional.of("this node is " + self.status() + ", not Up");
    }
    ClusterEvent.CurrentClusterState state = cluster.state();
    int voters = 0;
    int reachable = 0;
    for (Member m : state.getMembers()) {
      if (m.status() == MemberStatus.up() || m.status() == MemberStatus.leaving()) {
        voters++;
        if (!state.getUnreachable().contains(m)) {
          reachable++;
        }
      }
    }
    if (reachable * 2 <= voters) {
      return Optional.of("this node reaches " + reachable + " of " + voters
          + " cluster members, not a majority");
    }
    return Optional.empty();
  }

  static final class Id extends ExtensionId<MajorityLease> {
    static final Id INSTANCE = new Id();

    @Override
    public MajorityLease createExtension(ActorSystem<?> system) {
      return new MajorityLease(system);
    }
  }
}
