package fabric.core.blob;

/** The blob was never committed, or has been deleted. */
public final class BlobNotFoundException extends RuntimeException {
  public BlobNotFoundException(String message) {
    super(message);
  }
}
