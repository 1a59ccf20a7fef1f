package fabric.core.replication;

import fabric.core.serialization.CborSerializable;

/**
 * How far one follower is behind its leader, as the follower knows it.
 *
 * @param leaderSeqNr the highest sequence number the leader has announced to this follower
 * @param lastApplyDelayMillis journal commit on the leader to applied here, for the last push
 */
public record FollowerStatus(String type, String resourceId, String az, String nodeId,
    long appliedSeqNr, long leaderSeqNr, long lastApplyDelayMillis, long updatedAtMillis)
    implements CborSerializable {

  /** Events the leader has durably written that this follower has not applied yet. */
  public long lagEvents() {
    return Math.max(0, leaderSeqNr - appliedSeqNr);
  }
}
