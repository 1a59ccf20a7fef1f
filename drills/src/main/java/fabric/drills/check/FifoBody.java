package fabric.drills.check;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The body of a FIFO drill message, {@code g<group>:<counter>}: its message group and its
 * place in that group's send order (0, 1, 2...). Unique within a drill, and also its
 * deduplication id ({@code g<group>-<counter>}, a retry sends the same), so the checkers
 * read order and identity off the body alone.
 */
public record FifoBody(int group, long counter) {
  private static final Pattern FORMAT = Pattern.compile("g(\\d{1,9}):(\\d{1,18})");

  public FifoBody {
    if (group < 0 || counter < 0) {
      throw new IllegalArgumentException("negative group or counter: " + group + ", " + counter);
    }
  }

  /** The message group id, {@code g<group>}. */
  public String groupId() {
    return "g" + group;
  }

  /** The explicit deduplication id every try of this send carries. */
  public String deduplicationId() {
    return "g" + group + "-" + counter;
  }

  @Override
  public String toString() {
    return "g" + group + ":" + counter;
  }

  /** The group and counter of a body, or empty if it is not a FIFO drill body. */
  public static Optional<FifoBody> parse(String body) {
    Matcher m = FORMAT.matcher(body);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(new FifoBody(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2))));
  }
}
