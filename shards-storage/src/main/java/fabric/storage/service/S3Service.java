package fabric.storage.service;

import fabric.core.blob.BlobId;
import fabric.core.blob.BlobReader;
import fabric.core.blob.BlobStore;
import fabric.core.entity.EntityClient;
import fabric.storage.bucket.StorageClass;
import fabric.core.topology.NodeLocation;
import fabric.core.blob.BlobWriter;
import fabric.core.replication.ReadPreference;
import fabric.storage.bucket.WriteCondition;
import fabric.core.error.ServiceException;
import fabric.storage.S3Errors;
import fabric.storage.bucket.BucketCommand;
import fabric.storage.bucket.BucketCommand.BucketInfo;
import fabric.storage.bucket.BucketCommand.ObjectFound;
import fabric.storage.bucket.BucketDefinition;
import fabric.storage.bucket.BucketNames;
import fabric.storage.bucket.ListPage;
import fabric.storage.bucket.ListQuery;
import fabric.storage.bucket.ObjectEntry;
import fabric.storage.bucket.ObjectKeys;
import fabric.storage.registry.BucketEntry;
import fabric.storage.registry.BucketRegistryDefinition;
import fabric.storage.registry.RegistryCommand;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * S3's operations, independent of any wire protocol: the gRPC adapter and the S3 REST
 * adapter both call this. It sequences the registry, the bucket entity and the blob store;
 * the entities hold all state.
 */
public final class S3Service {
  private final EntityClient entities;
  private final BlobStore blobs;
  private final Executor blobIo;
  private final Clock clock;
  private final String region;
  private final String az;

  /** @param location this node: its region names buckets, its AZ holds One Zone objects */
  public S3Service(EntityClient entities, BlobStore blobs, Executor blobIo, Clock clock,
      NodeLocation location) {
    this.entities = entities;
    this.blobs = blobs;
    this.blobIo = blobIo;
    this.clock = clock;
    this.region = location.region();
    this.az = location.az();
  }

  /** A new blob placed as its storage class says: ONEZONE_IA in this node's AZ only. */
  private BlobWriter newBlob(StorageClass storageClass) {
    return storageClass.singleZone()
        ? blobs.create(BlobId.random(), az) : blobs.create(BlobId.random());
  }

  public String region() {
    return region;
  }

  /**
   * Claims the name in the registry, then creates the bucket entity. If an earlier attempt
   * claimed the name but never created the entity (a crash in between), the retry that
   * answers BucketAlreadyOwnedByYou creates it first, so the bucket is usable either way.
   */
  public CompletionStage<BucketInfo> createBucket(
      String account, String bucket, String locationConstraint) {
    BucketNames.validate(bucket);
    if (locationConstraint != null && !locationConstraint.isEmpty()
        && !locationConstraint.equals(region)) {
      throw S3Errors.InvalidLocationConstraint.exception("The location constraint '"
          + locationConstraint + "' is not this endpoint's region " + region);
    }
    var now = clock.instant();
    return entities.ask(BucketRegistryDefinition.TYPE_KEY, BucketRegistryDefinition.ENTITY_ID,
            r -> new RegistryCommand.Claim(bucket, account, region, now, r),
            RegistryCommand.Claimed.class)
        .handle((claimed, failure) -> {
          if (failure == null) {
            return createEntity(account, bucket, claimed.entry().createdAt());
          }
          ServiceException e = ServiceExceptions.unwrap(failure);
          if (e.error().code().equals(S3Errors.BucketAlreadyOwnedByYou.awsCode())) {
            return createEntity(account, bucket, now).<BucketInfo>thenApply(info -> {
              throw e;
            });
          }
          throw e;
        })
        .thenCompose(stage -> stage);
  }

  private CompletionStage<BucketInfo> createEntity(String account, String bucket,
      java.time.Instant createdAt) {
    return entities.ask(BucketDefinition.TYPE_KEY, bucket,
        r -> new BucketCommand.Create(account, region, createdAt, r), BucketInfo.class);
  }

  public CompletionStage<BucketInfo> headBucket(String account, String bucket,
      ReadPreference read) {
    BucketNames.validate(bucket);
    return entities.ask(BucketDefinition.TYPE_KEY, bucket, read,
        r -> new BucketCommand.Head(account, r), BucketInfo.class);
  }

  public CompletionStage<List<BucketEntry>> listBuckets(String account) {
    return entities.ask(BucketRegistryDefinition.TYPE_KEY, BucketRegistryDefinition.ENTITY_ID,
            r -> new RegistryCommand.ListBuckets(account, r), RegistryCommand.Buckets.class)
        .thenApply(RegistryCommand.Buckets::buckets);
  }

  /**
   * Deletes the bucket entity, then frees the name. A retry after a crash in between finds
   * the entity gone (NoSuchBucket) and still frees a name this account holds.
   */
  public CompletionStage<Void> deleteBucket(String account, String bucket) {
    BucketNames.validate(bucket);
    return entities.ask(BucketDefinition.TYPE_KEY, bucket,
            r -> new BucketCommand.Delete(account, clock.instant(), r),
            BucketCommand.BucketDeleted.class)
        .handle((deleted, failure) -> {
          if (failure == null) {
            return release(account, bucket);
          }
          ServiceException e = ServiceExceptions.unwrap(failure);
          if (!e.error().code().equals(S3Errors.NoSuchBucket.awsCode())) {
            throw e;
          }
          return release(account, bucket).thenApply(wasClaimed -> {
            if (!wasClaimed) {
              throw e;
            }
            return true;
          });
        })
        .thenCompose(stage -> stage)
        .thenApply(x -> null);
  }

  private CompletionStage<Boolean> release(String account, String bucket) {
    return entities.ask(BucketRegistryDefinition.TYPE_KEY, BucketRegistryDefinition.ENTITY_ID,
            r -> new RegistryCommand.Release(bucket, account, r),
            RegistryCommand.Released.class)
        .thenApply(RegistryCommand.Released::wasClaimed);
  }

  /** Starts a streamed upload; nothing is visible until {@link Upload#complete()}. */
  public Upload startUpload(String account, String bucket, String key, UploadAttributes attrs) {
    BucketNames.validate(bucket);
    ObjectKeys.validate(key);
    UploadAttributes checked = attrs.validated();
    return new Upload(this, account, bucket, key, checked,
        newBlob(checked.storageClassOrDefault()));
  }

  /** Records a committed blob as the object's current content. */
  CompletionStage<ObjectEntry> putEntry(String account, String bucket, ObjectEntry entry,
      WriteCondition condition) {
    return entities.ask(BucketDefinition.TYPE_KEY, bucket,
            r -> new BucketCommand.PutObject(account, entry, condition, r), ObjectFound.class)
        .thenApply(ObjectFound::entry);
  }

  /**
   * An eventually consistent read may return an entry the leader has already replaced or
   * deleted; its bytes stay readable for the blob release grace period
   * ({@code fabric.s3.blob.release-grace}), which is far longer than replication lags.
   */
  public CompletionStage<ObjectEntry> headObject(String account, String bucket, String key,
      ReadPreference read) {
    BucketNames.validate(bucket);
    ObjectKeys.validate(key);
    return entities.ask(BucketDefinition.TYPE_KEY, bucket, read,
            r -> new BucketCommand.GetObject(account, key, r), ObjectFound.class)
        .thenApply(ObjectFound::entry);
  }

  /** Looks the object up and resolves the range; the caller then streams {@link Download}. */
  public CompletionStage<Download> getObject(
      String account, String bucket, String key, String rangeHeader, ReadPreference read) {
    return headObject(account, bucket, key, read).thenApply(entry ->
        new Download(entry, ByteRange.parse(rangeHeader, entry.size()), blobs));
  }

  public CompletionStage<Boolean> deleteObject(String account, String bucket, String key) {
    BucketNames.validate(bucket);
    ObjectKeys.validate(key);
    return entities.ask(BucketDefinition.TYPE_KEY, bucket,
            r -> new BucketCommand.DeleteObject(account, key, clock.instant(), r),
            BucketCommand.ObjectDeleted.class)
        .thenApply(BucketCommand.ObjectDeleted::existed);
  }

  /**
   * Copies an object server-side: the bytes are read from the source blob and written to a
   * new one (so deleting either object never affects the other).
   */
  public CompletionStage<ObjectEntry> copyObject(String account, CopyRequest copy) {
    BucketNames.validate(copy.bucket());
    ObjectKeys.validate(copy.key());
    return headObject(account, copy.sourceBucket(), copy.sourceKey(), ReadPreference.STRONG)
        .thenComposeAsync(source -> {
          UploadAttributes attrs = copy.replaceMetadata()
              ? copy.attributes().validated()
              : new UploadAttributes(source.contentType(), source.metadata(),
                  copy.attributes().storageClass().isEmpty()
                      ? source.storageClass().name() : copy.attributes().storageClass(), "")
                  .validated();
          Upload upload = new Upload(this, account, copy.bucket(), copy.key(), attrs,
              newBlob(attrs.storageClassOrDefault()));
          try (BlobReader reader = blobs.open(source.blob(), 0, source.size())) {
            for (byte[] chunk = reader.next(); chunk != null; chunk = reader.next()) {
              upload.write(chunk, 0, chunk.length);
            }
          } catch (RuntimeException e) {
            upload.abort();
            throw e;
          }
          return upload.complete();
        }, blobIo);
  }

  public CompletionStage<ListPage> listObjects(String account, String bucket, ListQuery query,
      ReadPreference read) {
    BucketNames.validate(bucket);
    return entities.ask(BucketDefinition.TYPE_KEY, bucket, read,
        r -> new BucketCommand.ListObjects(account, query, r), ListPage.class);
  }

  Executor blobIo() {
    return blobIo;
  }

  BlobStore blobs() {
    return blobs;
  }

  Clock clock() {
    return clock;
  }
}
