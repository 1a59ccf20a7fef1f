package fabric.core.entity;

/**
 * What a resource wants read back from its own journal ({@link
 * ResourceDefinition#journalRead}): up to {@code maxEvents} events from journal sequence
 * number {@code fromSeqNr} on.
 */
public record JournalRead(long fromSeqNr, int maxEvents) {
  public JournalRead {
    if (fromSeqNr < 1 || maxEvents < 1) {
      throw new IllegalArgumentException("fromSeqNr and maxEvents must be positive: "
          + fromSeqNr + ", " + maxEvents);
    }
  }

  /** One event read back, with its journal sequence number. */
  public record Event<E>(long seqNr, E event) {}
}
