package fabric.drills.check;

/**
 * A resource's follower that did not catch up with its leader after the drill: its replay
 * of the journal keeps failing (two writers at one sequence number, with the replay filter
 * set to fail) or it stopped receiving events. Eventual reads in its AZ stay stale, and the
 * resource would not recover on a restart either.
 *
 * @param key the resource, "type/id"
 */
public record StuckReplica(String key, String az, String nodeId, long appliedSeqNr,
    long lagEvents, String message) implements Violation {}
