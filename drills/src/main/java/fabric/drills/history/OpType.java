package fabric.drills.history;

/** What an {@link Op} records: the start of a call, or how it ended. */
public enum OpType {
  /** The client is about to send the request. */
  INVOKE,
  /** The system answered with success: the op took effect, and a read saw the value recorded. */
  OK,
  /** The system definitely did not apply the op (rejected before it could have any effect). */
  FAIL,
  /**
   * The outcome is unknown (timeout, connection lost mid-call): the op may or may not have taken
   * effect, at any moment after its invocation - even after the client gave up. A timeout is
   * recorded as INFO, never as FAIL: calling it a failure would let a checker assume it had no
   * effect, and then a write that did land would look like corruption.
   */
  INFO
}
