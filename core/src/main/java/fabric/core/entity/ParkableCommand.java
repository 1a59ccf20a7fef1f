package fabric.core.entity;

/**
 * A command that may wait for the state to change ({@link Outcome.Park}), such as a long
 * poll. Time enters through commands, so a command decided again later is first re-timed.
 */
public interface ParkableCommand extends EntityCommand {
  /** The caller's clock when the command was (re-)timed, in milliseconds. */
  long nowMillis();

  /** The same command at a later time of the caller's clock. */
  ParkableCommand at(long nowMillis);
}
