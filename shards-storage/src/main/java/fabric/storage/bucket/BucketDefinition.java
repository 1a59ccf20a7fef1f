package fabric.storage.bucket;

import fabric.core.blob.BlobReleaser;
import fabric.core.entity.Outcome;
import fabric.core.entity.ResourceDefinition;
import fabric.storage.S3Errors;
import fabric.storage.bucket.BucketCommand.BucketDeleted;
import fabric.storage.bucket.BucketCommand.BucketInfo;
import fabric.storage.bucket.BucketCommand.ObjectDeleted;
import fabric.storage.bucket.BucketCommand.ObjectFound;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * One S3 bucket: its owner and its object index (metadata only; bytes are in the blob
 * store). The entity id is the bucket name, global like on AWS; the {@code BucketRegistry}
 * decides who may create which name.
 */
public final class BucketDefinition
    implements ResourceDefinition<BucketCommand, BucketEvent, BucketState> {

  public static final EntityTypeKey<BucketCommand> TYPE_KEY =
      EntityTypeKey.create(BucketCommand.class, "Bucket");

  private final BlobReleaser releaser;
  private final int snapshotEveryEvents;

  /**
   * @param releaser frees the blobs of overwritten and deleted objects after the journal
   *     acknowledged the change
   * @param snapshotEveryEvents a snapshot holds the whole index, so large buckets want a
   *     larger interval: the cost per event is index size / interval
   */
  public BucketDefinition(BlobReleaser releaser, int snapshotEveryEvents) {
    this.releaser = releaser;
    this.snapshotEveryEvents = snapshotEveryEvents;
  }

  @Override
  public EntityTypeKey<BucketCommand> typeKey() {
    return TYPE_KEY;
  }

  @Override
  public BucketState emptyState(String entityId) {
    return BucketState.absent(entityId);
  }

  @Override
  public int snapshotEveryEvents() {
    return snapshotEveryEvents;
  }

  @Override
  public boolean readOnly(BucketCommand command) {
    return command instanceof BucketCommand.Head
        || command instanceof BucketCommand.GetObject
        || command instanceof BucketCommand.ListObjects;
  }

  @Override
  public Outcome<BucketEvent, BucketState> decide(BucketState state, BucketCommand command) {
    if (command instanceof BucketCommand.Create c) {
      return create(state, c);
    }
    requireOwner(state, command.account());
    if (command instanceof BucketCommand.Head) {
      return Outcome.reply(info(state));
    } else if (command instanceof BucketCommand.Delete d) {
      return delete(state, d);
    } else if (command instanceof BucketCommand.PutObject p) {
      return putObject(state, p);
    } else if (command instanceof BucketCommand.GetObject g) {
      return Outcome.reply(new ObjectFound(existing(state, g.key())));
    } else if (command instanceof BucketCommand.DeleteObject d) {
      return deleteObject(state, d);
    } else if (command instanceof BucketCommand.ListObjects l) {
      return Outcome.reply(ObjectListing.list(state.objects(), l.query()));
    }
    throw new IllegalArgumentException("unknown command " + command.getClass().getName());
  }

  private Outcome<BucketEvent, BucketState> create(BucketState state, BucketCommand.Create c) {
    if (state.active()) {
      if (state.owner().equals(c.account())) {
        return Outcome.reply(info(state));
      }
      return Outcome.reject(S3Errors.BucketAlreadyExists.withMessage(
          "The requested bucket name '" + state.name() + "' is not available"));
    }
    return Outcome.persist(new BucketEvent.Created(c.account(), c.region(), c.createdAt()),
        BucketDefinition::info);
  }

  private Outcome<BucketEvent, BucketState> delete(BucketState state, BucketCommand.Delete d) {
    if (!state.objects().isEmpty()) {
      return Outcome.reject(S3Errors.BucketNotEmpty.withMessage("The bucket '" + state.name()
          + "' you tried to delete is not empty: it holds " + state.objects().size()
          + " objects"));
    }
    return Outcome.persist(new BucketEvent.Deleted(d.deletedAt()),
        s -> new BucketDeleted(s.name()));
  }

  private Outcome<BucketEvent, BucketState> putObject(
      BucketState state, BucketCommand.PutObject p) {
    ObjectKeys.validate(p.entry().key());
    ObjectEntry replaced = state.objects().get(p.entry().key());
    p.condition().check(p.entry().key(), replaced);
    Outcome.Persist<BucketEvent, BucketState> persist = Outcome.persist(
        new BucketEvent.ObjectPut(p.entry()),
        s -> new ObjectFound(s.objects().get(p.entry().key())));
    if (replaced != null && !replaced.blob().id().equals(p.entry().blob().id())) {
      return persist.andThen(s -> releaser.release(replaced.blob()));
    }
    return persist;
  }

  private Outcome<BucketEvent, BucketState> deleteObject(
      BucketState state, BucketCommand.DeleteObject d) {
    ObjectEntry existing = state.objects().get(d.key());
    if (existing == null) {
      return Outcome.reply(new ObjectDeleted(d.key(), false));
    }
    return Outcome.<BucketEvent, BucketState>persist(
            new BucketEvent.ObjectRemoved(d.key(), d.deletedAt()),
            s -> new ObjectDeleted(d.key(), true))
        .andThen(s -> releaser.release(existing.blob()));
  }

  @Override
  public BucketState evolve(BucketState state, BucketEvent event) {
    if (event instanceof BucketEvent.Created c) {
      return new BucketState(state.name(), BucketState.Status.ACTIVE, c.owner(), c.region(),
          c.createdAt(), ObjectIndex.empty());
    } else if (event instanceof BucketEvent.Deleted) {
      return new BucketState(state.name(), BucketState.Status.DELETED, null, null, null,
          ObjectIndex.empty());
    } else if (event instanceof BucketEvent.ObjectPut p) {
      return state.withObjects(state.objects().put(p.entry()));
    } else if (event instanceof BucketEvent.ObjectRemoved r) {
      return state.withObjects(state.objects().remove(r.key()));
    }
    throw new IllegalArgumentException("unknown event " + event.getClass().getName());
  }

  private static void requireOwner(BucketState state, String account) {
    if (!state.active()) {
      throw S3Errors.NoSuchBucket.exception(
          "The specified bucket '" + state.name() + "' does not exist");
    }
    if (!state.owner().equals(account)) {
      throw S3Errors.AccessDenied.exception("Access Denied: account " + account
          + " does not own bucket '" + state.name() + "'");
    }
  }

  private static ObjectEntry existing(BucketState state, String key) {
    ObjectEntry entry = state.objects().get(key);
    if (entry == null) {
      throw S3Errors.NoSuchKey.exception("The specified key does not exist: '" + key
          + "' in bucket '" + state.name() + "'");
    }
    return entry;
  }

  private static BucketInfo info(BucketState s) {
    return new BucketInfo(s.name(), s.owner(), s.region(), s.createdAt());
  }
}
