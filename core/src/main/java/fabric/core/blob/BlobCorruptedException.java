package fabric.core.blob;

/** A stored chunk failed its checksum: the bytes on disk are not the bytes written. */
public final class BlobCorruptedException extends RuntimeException {
  public BlobCorruptedException(String message) {
    super(message);
  }
}
