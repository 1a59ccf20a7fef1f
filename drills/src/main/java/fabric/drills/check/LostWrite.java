package fabric.drills.check;

/**
 * An acknowledged write that the final read-back does not reflect.
 *
 * @param value the value the lost write wrote
 * @param process the client that wrote it
 * @param invokeNanos when the write was sent
 * @param ackNanos when it was acknowledged
 * @param message why it counts as lost, e.g. what the final read returned instead
 */
public record LostWrite(String key, String value, int process, long invokeNanos, long ackNanos,
    String message) implements Violation {}
