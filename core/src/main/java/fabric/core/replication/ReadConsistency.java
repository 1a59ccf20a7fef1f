package fabric.core.replication;

/**
 * How fresh a read must be. STRONG reads go to the resource's leader and see every
 * acknowledged write; EVENTUAL reads go to the follower in the caller's AZ, cost no
 * cross-AZ hop, and may miss the latest writes for as long as replication lags.
 */
public enum ReadConsistency {
  STRONG,
  EVENTUAL
}
