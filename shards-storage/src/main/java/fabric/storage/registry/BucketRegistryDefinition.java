package fabric.storage.registry;

import fabric.core.entity.Outcome;
import fabric.core.entity.ResourceDefinition;
import fabric.storage.S3Errors;
import fabric.storage.bucket.BucketNames;
import fabric.storage.registry.RegistryCommand.Buckets;
import fabric.storage.registry.RegistryCommand.Claimed;
import fabric.storage.registry.RegistryCommand.Lookup;
import fabric.storage.registry.RegistryCommand.Released;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * Bucket names are global across accounts, as on AWS: this entity is the single writer that
 * decides who holds a name, and enforces the per-account bucket limit. One instance
 * ({@link #ENTITY_ID}) serves the whole fabric: bucket creation is rare next to object
 * traffic, which never passes through here.
 */
public final class BucketRegistryDefinition
    implements ResourceDefinition<RegistryCommand, RegistryEvent, RegistryState> {

  public static final EntityTypeKey<RegistryCommand> TYPE_KEY =
      EntityTypeKey.create(RegistryCommand.class, "BucketRegistry");
  public static final String ENTITY_ID = "global";
  /** The seed: 100 buckets per account by default, raisable to at most 1,000. */
  public static final int HARD_BUCKET_LIMIT = 1_000;

  private final int maxBucketsPerAccount;

  public BucketRegistryDefinition(int maxBucketsPerAccount) {
    if (maxBucketsPerAccount < 1 || maxBucketsPerAccount > HARD_BUCKET_LIMIT) {
      throw new IllegalArgumentException("max buckets per account must be 1.."
          + HARD_BUCKET_LIMIT + ", got " + maxBucketsPerAccount);
    }
    this.maxBucketsPerAccount = maxBucketsPerAccount;
  }

  @Override
  public EntityTypeKey<RegistryCommand> typeKey() {
    return TYPE_KEY;
  }

  @Override
  public RegistryState emptyState(String entityId) {
    return RegistryState.empty();
  }

  @Override
  public boolean readOnly(RegistryCommand command) {
    return command instanceof RegistryCommand.ListBuckets
        || command instanceof RegistryCommand.Find;
  }

  @Override
  public Outcome<RegistryEvent, RegistryState> decide(
      RegistryState state, RegistryCommand command) {
    if (command instanceof RegistryCommand.Claim c) {
      return claim(state, c);
    } else if (command instanceof RegistryCommand.Release r) {
      BucketEntry held = state.get(r.name());
      if (held == null || !held.owner().equals(r.account())) {
        return Outcome.reply(new Released(r.name(), false));
      }
      return Outcome.persist(new RegistryEvent.NameReleased(r.name()),
          s -> new Released(r.name(), true));
    } else if (command instanceof RegistryCommand.ListBuckets l) {
      return Outcome.reply(new Buckets(state.bucketsOf(l.account())));
    } else if (command instanceof RegistryCommand.Find f) {
      return Outcome.reply(new Lookup(f.name(), state.get(f.name())));
    }
    throw new IllegalArgumentException("unknown command " + command.getClass().getName());
  }

  private Outcome<RegistryEvent, RegistryState> claim(
      RegistryState state, RegistryCommand.Claim c) {
    BucketNames.validate(c.name());
    BucketEntry held = state.get(c.name());
    if (held != null) {
      if (held.owner().equals(c.account())) {
        return Outcome.reject(S3Errors.BucketAlreadyOwnedByYou.withMessage(
            "Your previous request to create the named bucket '" + c.name()
                + "' succeeded and you already own it"));
      }
      return Outcome.reject(S3Errors.BucketAlreadyExists.withMessage("The requested bucket name '"
          + c.name() + "' is not available: bucket names are shared by all accounts"));
    }
    if (state.countFor(c.account()) >= maxBucketsPerAccount) {
      return Outcome.reject(S3Errors.TooManyBuckets.withMessage("You have attempted to create "
          + "more buckets than allowed: account " + c.account() + " already has "
          + maxBucketsPerAccount + " buckets"));
    }
    BucketEntry entry = new BucketEntry(c.name(), c.account(), c.region(), c.createdAt());
    return Outcome.persist(new RegistryEvent.NameClaimed(entry), s -> new Claimed(entry));
  }

  @Override
  public RegistryState evolve(RegistryState state, RegistryEvent event) {
    if (event instanceof RegistryEvent.NameClaimed c) {
      return state.claim(c.entry());
    } else if (event instanceof RegistryEvent.NameReleased r) {
      return state.release(r.name());
    }
    throw new IllegalArgumentException("unknown event " + event.getClass().getName());
  }
}
