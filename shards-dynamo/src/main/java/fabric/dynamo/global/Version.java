package fabric.dynamo.global;

import fabric.core.serialization.CborSerializable;
import java.util.Comparator;

/**
 * When and where an item of a global table was last written: the write's timestamp (the
 * service's clock, raised past the key's current version by the partition so a local write
 * always wins where it is made) and its origin region, which breaks ties deterministically.
 */
public record Version(long millis, String region) implements CborSerializable {
  /** What an item written before its table became global has: older than any write. */
  public static final Version ZERO = new Version(0, "");

  public static final Comparator<Version> ORDER = Comparator.comparingLong(Version::millis)
      .thenComparing(Version::region);

  public Version {
    region = region == null ? "" : region;
  }

  /** Last writer wins: strictly newer; an equal version is the same write seen again. */
  public boolean newerThan(Version other) {
    return ORDER.compare(this, other == null ? ZERO : other) > 0;
  }
}
