package fabric.core.replication;

import fabric.core.serialization.CborSerializable;
import java.util.List;

/**
 * Leader to follower: the events with sequence numbers {@code fromSeqNr..leaderSeqNr},
 * durable in the journal before this was sent. With no events it is a heartbeat that only
 * tells the follower how far the leader is, so a follower that missed a push notices.
 *
 * @param committedAtMillis when the leader's journal acknowledged the last of them
 */
public record Replicate(String resourceId, long fromSeqNr, long leaderSeqNr,
    List<SerializedEvent> events, long committedAtMillis, String leaderNodeId)
    implements CborSerializable {
  public Replicate {
    if (leaderSeqNr - fromSeqNr + 1 != events.size()) {
      throw new IllegalArgumentException("events " + fromSeqNr + ".." + leaderSeqNr
          + " but " + events.size() + " given");
    }
  }
}
