package fabric.core.entity;

import java.util.Optional;

/**
 * Whether this node may still answer for the resources it leads: a leader cut off from the
 * cluster must stop acknowledging writes (and answering strong reads) before a new leader
 * can have taken over elsewhere. See {@link fabric.core.topology.MajorityLease}.
 */
@FunctionalInterface
public interface AckFence {
  /** Never fenced: for entity tests without a cluster. */
  AckFence NONE = Optional::empty;

  /** Empty while the node may acknowledge; otherwise why it may not. */
  Optional<String> fenced();
}
