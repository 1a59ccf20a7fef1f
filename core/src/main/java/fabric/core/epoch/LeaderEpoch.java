package fabric.core.epoch;

/**
 * One incarnation of a resource's leader: the epoch it claimed and the first journal
 * sequence number it writes. Epochs of a resource increase by one per leader start.
 *
 * @param epoch 1 for the first leader; events written before epochs existed count as 0
 * @param startSeqNr the sequence number after the last event this leader recovered
 * @param nodeId the node that claimed it (for logs and post-mortems only)
 */
public record LeaderEpoch(long epoch, long startSeqNr, String nodeId) {
  public LeaderEpoch {
    if (epoch < 1) {
      throw new IllegalArgumentException("epoch must be >= 1, was " + epoch);
    }
    if (startSeqNr < 1) {
      throw new IllegalArgumentException("startSeqNr must be >= 1, was " + startSeqNr);
    }
  }
}
