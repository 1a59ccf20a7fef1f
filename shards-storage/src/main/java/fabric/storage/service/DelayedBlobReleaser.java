package fabric.storage.service;

import fabric.core.blob.BlobRef;
import fabric.core.blob.BlobReleaser;
import fabric.core.blob.BlobStore;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the blob of an overwritten or deleted object after a grace period, so a GET that
 * already read the old metadata can still stream the old bytes. A crash before the delay
 * ends leaves the blob behind (garbage, never a lost object).
 */
public final class DelayedBlobReleaser implements BlobReleaser {
  private static final Logger log = LoggerFactory.getLogger(DelayedBlobReleaser.class);

  private final BlobStore store;
  private final ScheduledExecutorService scheduler;
  private final Duration grace;

  public DelayedBlobReleaser(BlobStore store, ScheduledExecutorService scheduler, Duration grace) {
    this.store = store;
    this.scheduler = scheduler;
    this.grace = grace;
  }

  @Override
  public void release(BlobRef blob) {
    scheduler.schedule(() -> {
      try {
        store.delete(blob);
      } catch (RuntimeException e) {
        log.warn("could not delete released blob {}: {}", blob.id().value(), e.toString());
      }
    }, grace.toMillis(), TimeUnit.MILLISECONDS);
  }
}
