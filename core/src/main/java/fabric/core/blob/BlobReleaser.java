package fabric.core.blob;

/**
 * Frees a blob that no persisted event references any more (an overwritten or deleted
 * object). Called only after the journal acknowledged the event that dropped the reference;
 * implementations may wait a grace period so that reads already streaming the old bytes
 * can finish.
 */
@FunctionalInterface
public interface BlobReleaser {
  void release(BlobRef blob);
}
