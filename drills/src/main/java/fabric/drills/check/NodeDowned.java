package fabric.drills.check;

/**
 * A node process that exited while the drill did not kill it: under a fault that must not
 * take anyone down (a kill takes down only its target; a full disk, a slow link, a skewed
 * clock none), the Split Brain Resolver downed a healthy node, or it crashed.
 *
 * @param key the node id
 */
public record NodeDowned(String key, long pid, String message) implements Violation {}
