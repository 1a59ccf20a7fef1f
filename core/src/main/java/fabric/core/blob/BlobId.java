package fabric.core.blob;

import java.util.UUID;
import java.util.regex.Pattern;

/** The name of one immutable blob: a random UUID, so a retried upload never overwrites. */
public record BlobId(String value) {
  // Compiled once: snapshot recovery builds a BlobId per object (a million for a big bucket).
  private static final Pattern UUID_FORM = Pattern.compile("[0-9a-f-]{36}");

  public BlobId {
    if (value == null || !UUID_FORM.matcher(value).matches()) {
      throw new IllegalArgumentException("blob id must be a UUID, got " + value);
    }
  }

  public static BlobId random() {
    return new BlobId(UUID.randomUUID().toString());
  }
}
