package fabric.storage.bucket;

import fabric.core.testkit.EntityTestKit;
import static fabric.storage.bucket.TestObjects.T0;
import static fabric.storage.bucket.TestObjects.blob;
import static fabric.storage.bucket.TestObjects.entry;
import static fabric.storage.bucket.TestObjects.md5Hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fabric.core.blob.BlobRef;
import fabric.core.blob.BlobReleaser;
import fabric.core.entity.EntityCommand;
import fabric.core.entity.Rejected;
import fabric.core.entity.Reply;
import fabric.core.entity.ResourceEntity;
import fabric.core.error.ErrorCategory;
import fabric.core.error.ServiceException;
import fabric.core.topology.NodeLocation;
import fabric.storage.S3Errors;
import fabric.storage.bucket.BucketCommand.BucketDeleted;
import fabric.storage.bucket.BucketCommand.BucketInfo;
import fabric.storage.bucket.BucketCommand.ObjectDeleted;
import fabric.storage.bucket.BucketCommand.ObjectFound;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bucket entity as the cluster runs it ({@link ResourceEntity} over
 * {@link BucketDefinition}) on the in-memory journal, with every command, event and state
 * round-tripped through the jackson-cbor serializer and compared for equality.
 */
class BucketEntityTest {
  private static final NodeLocation LOCATION =
      new NodeLocation("node-1", "us-east-1", "us-east-1a");
  private static final String BUCKET = "photos";
  private static final String OWNER = "111122223333";
  private static final String OTHER = "444455556666";
  private static final String PERSISTENCE_ID = "Bucket|" + BUCKET;
  private static final int SNAPSHOT_EVERY = 100;

  private static ActorTestKit kit;

  /** A blob the entity released, and the journal as it was at that moment. */
  record Release(BlobRef blob, List<Object> journalAtRelease) {}

  private final List<Release> released = new CopyOnWriteArrayList<>();
  private EventSourcedBehaviorTestKit<EntityCommand, BucketEvent, BucketState> testKit;

  @BeforeAll
  static void startActorSystem() {
    kit = EntityTestKit.actorTestKit("BucketEntityTest");
  }

  @AfterAll
  static void stopActorSystem() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void startEntity() {
    BlobReleaser recording = blob -> released.add(new Release(blob,
        List.copyOf(testKit.persistenceTestKit().persistedInStorage(PERSISTENCE_ID))));
    testKit = EntityTestKit.entity(kit, new BucketDefinition(recording, SNAPSHOT_EVERY), BUCKET);
    released.clear();
  }

  // ---------------------------------------------------------------- conditional writes

  @Test
  void ifNoneMatchStarWritesOnlyANewKey() {
    create(OWNER);
    WriteCondition onlyNew = new WriteCondition("", "*");
    var first = run(r -> new BucketCommand.PutObject(OWNER, entry("c.txt"), onlyNew, r));
    assertThat(first.reply()).isInstanceOf(ObjectFound.class);
    assertRejected(run(r -> new BucketCommand.PutObject(OWNER, entry("c.txt"), onlyNew, r)),
        S3Errors.PreconditionFailed);
  }

  @Test
  void ifMatchIsACompareAndSetOnTheETag() {
    create(OWNER);
    ObjectEntry v1 = entry("reg", blob("v1"));
    put(OWNER, v1);
    assertRejected(run(r -> new BucketCommand.PutObject(OWNER, entry("reg", blob("v2")),
        new WriteCondition("\"" + md5Hex("other".getBytes()) + "\"", ""), r)),
        S3Errors.PreconditionFailed);
    // Quoted or not, the current ETag matches.
    var swapped = run(r -> new BucketCommand.PutObject(OWNER, entry("reg", blob("v2")),
        new WriteCondition(md5Hex("v1".getBytes()), ""), r));
    assertThat(((ObjectFound) swapped.reply()).entry().eTag())
        .isEqualTo("\"" + md5Hex("v2".getBytes()) + "\"");
    assertRejected(run(r -> new BucketCommand.PutObject(OWNER, entry("missing"),
        new WriteCondition(v1.eTag(), ""), r)), S3Errors.NoSuchKey);
  }

  // ---------------------------------------------------------------- helpers

  private CommandResultWithReply<EntityCommand, BucketEvent, BucketState, Reply> run(
      Function<ActorRef<Reply>, BucketCommand> command) {
    return testKit.runCommand(replyTo -> command.apply(replyTo));
  }

  private CommandResultWithReply<EntityCommand, BucketEvent, BucketState, Reply> create(
      String account) {
    return run(r -> new BucketCommand.Create(account, "us-east-1", T0, r));
  }

  private CommandResultWithReply<EntityCommand, BucketEvent, BucketState, Reply> put(
      String account, ObjectEntry entry) {
    return run(r -> new BucketCommand.PutObject(account, entry, r));
  }

  private CommandResultWithReply<EntityCommand, BucketEvent, BucketState, Reply> get(
      String account, String key) {
    return run(r -> new BucketCommand.GetObject(account, key, r));
  }

  private CommandResultWithReply<EntityCommand, BucketEvent, BucketState, Reply> deleteObject(
      String account, String key) {
    return run(r -> new BucketCommand.DeleteObject(account, key, T0.plusSeconds(60), r));
  }

  private CommandResultWithReply<EntityCommand, BucketEvent, BucketState, Reply> deleteBucket(
      String account) {
    return run(r -> new BucketCommand.Delete(account, T0.plusSeconds(120), r));
  }

  private static void assertRejected(
      CommandResultWithReply<EntityCommand, BucketEvent, BucketState, Reply> result,
      S3Errors code) {
    assertThat(result.reply()).isInstanceOf(Rejected.class);
    Rejected rejected = (Rejected) result.reply();
    assertThat(rejected.error().code()).isEqualTo(code.awsCode());
    assertThat(rejected.error().httpStatus()).isEqualTo(code.httpStatus());
    assertThat(rejected.error().category()).isEqualTo(code.category());
    assertThat(result.hasNoEvents()).as("a rejection persists nothing").isTrue();
  }

  private static BucketInfo expectedInfo(String owner) {
    return new BucketInfo(BUCKET, owner, "us-east-1", T0);
  }

  /** Every command that needs an active bucket, from {@code account}. */
  private static List<Function<ActorRef<Reply>, BucketCommand>> commandsNeedingTheBucket(
      String account) {
    return List.of(
        r -> new BucketCommand.Head(account, r),
        r -> new BucketCommand.Delete(account, T0, r),
        r -> new BucketCommand.PutObject(account, entry("a.jpg"), r),
        r -> new BucketCommand.GetObject(account, "a.jpg", r),
        r -> new BucketCommand.DeleteObject(account, "a.jpg", T0, r),
        r -> new BucketCommand.ListObjects(account, new ListQuery("", "/", "", "", 10), r));
  }

  // ---------------------------------------------------------------- create

  @Test
  void createBucket_persistsCreatedAndRepliesBucketInfo() {
    var result = create(OWNER);
    assertThat(result.events()).containsExactly(new BucketEvent.Created(OWNER, "us-east-1", T0));
    assertThat(result.reply()).isEqualTo(expectedInfo(OWNER));
    assertThat(result.state().status()).isEqualTo(BucketState.Status.ACTIVE);
    assertThat(result.state().owner()).isEqualTo(OWNER);
    assertThat(result.state().name()).isEqualTo(BUCKET);
    assertThat(result.state().objects().isEmpty()).isTrue();
  }

  @Test
  void createBucket_againBySameOwner_repliesBucketInfoWithoutEvent() {
    create(OWNER);
    var again = run(r -> new BucketCommand.Create(OWNER, "us-east-1", T0.plusSeconds(5), r));
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(again.reply()).as("the original creation time, not the retry's")
        .isEqualTo(expectedInfo(OWNER));
  }

  @Test
  void createBucket_byOtherAccount_rejectsBucketAlreadyExists() {
    create(OWNER);
    var result = create(OTHER);
    assertRejected(result, S3Errors.BucketAlreadyExists);
    assertThat(((Rejected) result.reply()).error().message()).contains("'photos'");
    assertThat(result.state().owner()).isEqualTo(OWNER);
  }

  @Test
  void headBucket_repliesBucketInfo() {
    create(OWNER);
    var head = run(r -> new BucketCommand.Head(OWNER, r));
    assertThat(head.reply()).isEqualTo(expectedInfo(OWNER));
    assertThat(head.hasNoEvents()).isTrue();
  }

  // ---------------------------------------------------------------- absent / access

  @Test
  void everyCommandToAnAbsentBucket_rejectsNoSuchBucket() {
    for (var command : commandsNeedingTheBucket(OWNER)) {
      var result = run(command);
      assertRejected(result, S3Errors.NoSuchBucket);
      assertThat(((Rejected) result.reply()).error().message()).contains("'photos'");
      assertThat(result.state().status()).isEqualTo(BucketState.Status.ABSENT);
    }
  }

  @Test
  void everyCommandFromAnotherAccount_rejectsAccessDenied() {
    create(OWNER);
    put(OWNER, entry("a.jpg"));
    for (var command : commandsNeedingTheBucket(OTHER)) {
      var result = run(command);
      assertRejected(result, S3Errors.AccessDenied);
      assertThat(result.reply()).extracting(r -> ((Rejected) r).error().category())
          .isEqualTo(ErrorCategory.PERMISSION_DENIED);
    }
    assertThat(released).isEmpty();
    assertThat(get(OWNER, "a.jpg").reply()).isInstanceOf(ObjectFound.class);
  }

  // ---------------------------------------------------------------- objects

  @Test
  void putObject_persistsObjectPutAndGetReturnsTheEntry() {
    create(OWNER);
    ObjectEntry entry = new ObjectEntry("photos/2024/cat.jpg", blob("meow"), "image/jpeg",
        Map.of("color", "grey", "camera", "x100"), StorageClass.STANDARD_IA,
        T0.plusMillis(1234));
    var put = put(OWNER, entry);
    assertThat(put.events()).containsExactly(new BucketEvent.ObjectPut(entry));
    assertThat(put.reply()).isEqualTo(new ObjectFound(entry));
    assertThat(put.state().objects().size()).isEqualTo(1);

    var got = get(OWNER, "photos/2024/cat.jpg");
    assertThat(got.hasNoEvents()).isTrue();
    ObjectFound found = (ObjectFound) got.reply();
    assertThat(found.entry()).isEqualTo(entry);
    assertThat(found.entry().size()).isEqualTo(4);
    assertThat(found.entry().eTag()).isEqualTo("\"" + TestObjects.md5Hex("meow".getBytes()) + "\"");
    assertThat(released).isEmpty();
  }

  @Test
  void getObject_missingKey_rejectsNoSuchKey() {
    create(OWNER);
    put(OWNER, entry("a.jpg"));
    var result = get(OWNER, "b.jpg");
    assertRejected(result, S3Errors.NoSuchKey);
    assertThat(((Rejected) result.reply()).error().message()).contains("'b.jpg'")
        .contains("'photos'");
  }

  @Test
  void deleteObject_existing_persistsObjectRemovedAndReleasesItsBlobAfterwards() {
    create(OWNER);
    ObjectEntry entry = entry("a.jpg");
    put(OWNER, entry);
    var result = deleteObject(OWNER, "a.jpg");
    assertThat(result.events()).containsExactly(
        new BucketEvent.ObjectRemoved("a.jpg", T0.plusSeconds(60)));
    assertThat(result.reply()).isEqualTo(new ObjectDeleted("a.jpg", true));
    assertThat(result.state().objects().get("a.jpg")).isNull();

    assertThat(released).extracting(Release::blob).containsExactly(entry.blob());
    assertThat(released.get(0).journalAtRelease()).as("the removal was durable before release")
        .endsWith(new BucketEvent.ObjectRemoved("a.jpg", T0.plusSeconds(60)));
    assertRejected(get(OWNER, "a.jpg"), S3Errors.NoSuchKey);
  }

  @Test
  void deleteObject_missingKey_repliesNotExistedWithoutEvent() {
    create(OWNER);
    var result = deleteObject(OWNER, "never-was.jpg");
    assertThat(result.hasNoEvents()).isTrue();
    assertThat(result.reply()).isEqualTo(new ObjectDeleted("never-was.jpg", false));
    assertThat(released).isEmpty();
  }

  @Test
  void putObject_overwrite_releasesOldBlobOnlyAfterTheEventIsPersisted() {
    create(OWNER);
    ObjectEntry v1 = entry("a.jpg", blob("version 1"));
    ObjectEntry v2 = entry("a.jpg", blob("version 2"));
    put(OWNER, v1);
    assertThat(released).isEmpty();

    var result = put(OWNER, v2);
    assertThat(result.events()).containsExactly(new BucketEvent.ObjectPut(v2));
    assertThat(result.reply()).isEqualTo(new ObjectFound(v2));
    assertThat(released).extracting(Release::blob).containsExactly(v1.blob());
    assertThat(released.get(0).journalAtRelease())
        .as("the journal already held the overwrite when the old blob was released")
        .endsWith(new BucketEvent.ObjectPut(v2));
    assertThat(((ObjectFound) get(OWNER, "a.jpg").reply()).entry().blob()).isEqualTo(v2.blob());
  }

  @Test
  void putObject_sameBlobAgain_doesNotRelease() {
    create(OWNER);
    BlobRef blob = blob("same bytes");
    put(OWNER, entry("a.jpg", blob));
    // A retried PutObject for the same blob (e.g. after a timeout) must not free it.
    var again = put(OWNER, new ObjectEntry("a.jpg", blob, "text/plain", Map.of("v", "2"),
        StorageClass.STANDARD, T0.plusSeconds(1)));
    assertThat(again.events()).hasSize(1);
    assertThat(released).isEmpty();
  }

  @Test
  void putObject_whenTheJournalFails_releasesNothingAndKeepsTheOldObject() {
    create(OWNER);
    ObjectEntry v1 = entry("a.jpg", blob("version 1"));
    put(OWNER, v1);
    testKit.persistenceTestKit().failNextPersisted(PERSISTENCE_ID);
    // The entity stops on a journal failure and never answers: no reply, no release.
    assertThatThrownBy(() -> put(OWNER, entry("a.jpg", blob("version 2"))))
        .isInstanceOf(AssertionError.class);
    assertThat(released).isEmpty();

    testKit.restart();
    assertThat(((ObjectFound) get(OWNER, "a.jpg").reply()).entry()).isEqualTo(v1);
    assertThat(released).isEmpty();
  }

  @Test
  void putObject_keyOf1025Bytes_rejectsKeyTooLongError() {
    create(OWNER);
    String key = "\u20AC".repeat(341) + "ab"; // 1025 bytes of UTF-8, 343 chars
    var result = put(OWNER, entry(key));
    assertRejected(result, S3Errors.KeyTooLongError);
    assertThat(result.state().objects().isEmpty()).isTrue();

    var ok = put(OWNER, entry("\u20AC".repeat(341) + "a")); // 1024 bytes
    assertThat(ok.events()).hasSize(1);
  }

  @Test
  void putObject_emptyKey_rejectsInvalidArgument() {
    create(OWNER);
    assertRejected(put(OWNER, entry("")), S3Errors.InvalidArgument);
  }

  @Test
  void decide_putObjectWithUnpairedSurrogate_rejectsInvalidArgument() {
    // Such a command cannot even be serialized (jackson-cbor refuses an unmatched surrogate),
    // so S3Service validates keys before asking; the definition still refuses it on its own.
    BucketDefinition definition = new BucketDefinition(blob -> released.add(
        new Release(blob, List.of())), SNAPSHOT_EVERY);
    BucketState active = definition.evolve(BucketState.absent(BUCKET),
        new BucketEvent.Created(OWNER, "us-east-1", T0));
    assertThatThrownBy(() -> definition.decide(active,
        new BucketCommand.PutObject(OWNER, entry("bad\uD83D"), null)))
        .isInstanceOfSatisfying(ServiceException.class, e ->
            assertThat(e.error().code()).isEqualTo(S3Errors.InvalidArgument.awsCode()));
    assertThat(released).isEmpty();
  }

  @Test
  void listObjects_throughTheEntity_returnsAPageAndRejectsABadToken() {
    create(OWNER);
    for (String key : List.of("a/1", "a/2", "b", "c/1")) {
      put(OWNER, entry(key));
    }
    var page = run(r -> new BucketCommand.ListObjects(OWNER,
        new ListQuery("", "/", "", "", 2), r));
    assertThat(page.hasNoEvents()).isTrue();
    ListPage first = (ListPage) page.reply();
    assertThat(first.commonPrefixes()).containsExactly("a/");
    assertThat(first.contents()).extracting(ObjectEntry::key).containsExactly("b");
    assertThat(first.truncated()).isTrue();

    var next = run(r -> new BucketCommand.ListObjects(OWNER,
        new ListQuery("", "/", "", first.nextContinuationToken(), 2), r));
    ListPage second = (ListPage) next.reply();
    assertThat(second.commonPrefixes()).containsExactly("c/");
    assertThat(second.truncated()).isFalse();

    assertRejected(run(r -> new BucketCommand.ListObjects(OWNER,
        new ListQuery("", "/", "", "bogus!", 2), r)), S3Errors.InvalidArgument);
  }

  // ---------------------------------------------------------------- delete bucket

  @Test
  void deleteBucket_withObjects_rejectsBucketNotEmpty() {
    create(OWNER);
    put(OWNER, entry("a.jpg"));
    put(OWNER, entry("b.jpg"));
    var result = deleteBucket(OWNER);
    assertRejected(result, S3Errors.BucketNotEmpty);
    assertThat(((Rejected) result.reply()).error().message()).contains("2 objects");
    assertThat(result.state().active()).isTrue();
  }

  @Test
  void deleteBucket_empty_persistsDeletedThenEveryCommandRejectsNoSuchBucket() {
    create(OWNER);
    put(OWNER, entry("a.jpg"));
    deleteObject(OWNER, "a.jpg");
    var result = deleteBucket(OWNER);
    assertThat(result.events()).containsExactly(new BucketEvent.Deleted(T0.plusSeconds(120)));
    assertThat(result.reply()).isEqualTo(new BucketDeleted(BUCKET));
    assertThat(result.state().status()).isEqualTo(BucketState.Status.DELETED);
    assertThat(result.state().owner()).isNull();

    for (var command : commandsNeedingTheBucket(OWNER)) {
      assertRejected(run(command), S3Errors.NoSuchBucket);
    }
  }

  @Test
  void createBucket_afterDelete_byAnotherAccount_succeeds() {
    create(OWNER);
    deleteBucket(OWNER);
    Instant later = T0.plus(Duration.ofDays(1));
    var result = run(r -> new BucketCommand.Create(OTHER, "us-east-1", later, r));
    assertThat(result.events()).containsExactly(new BucketEvent.Created(OTHER, "us-east-1", later));
    assertThat(result.reply()).isEqualTo(new BucketInfo(BUCKET, OTHER, "us-east-1", later));
    assertRejected(run(r -> new BucketCommand.Head(OWNER, r)), S3Errors.AccessDenied);
    assertThat(run(r -> new BucketCommand.Head(OTHER, r)).reply()).isInstanceOf(BucketInfo.class);
  }

  // ---------------------------------------------------------------- recovery

  @Test
  void restart_replaysEventsAndKeepsObjects() {
    create(OWNER);
    ObjectEntry a = entry("a.jpg");
    put(OWNER, a);
    put(OWNER, entry("b.jpg"));
    deleteObject(OWNER, "b.jpg");
    BucketState before = testKit.getState();

    var restarted = testKit.restart();
    assertThat(restarted.state()).isEqualTo(before);
    assertThat(((ObjectFound) get(OWNER, "a.jpg").reply()).entry()).isEqualTo(a);
    assertRejected(get(OWNER, "b.jpg"), S3Errors.NoSuchKey);
  }

  @Test
  void restart_fromSnapshotPlusEvents_keepsEveryObject() {
    create(OWNER);
    List<ObjectEntry> entries = new ArrayList<>();
    for (int i = 0; i < 2 * SNAPSHOT_EVERY + 17; i++) {
      ObjectEntry e = entry(String.format("dir%d/key-%04d \u00e9\uD83D\uDE00", i % 7, i));
      entries.add(e);
      put(OWNER, e);
    }
    deleteObject(OWNER, entries.get(3).key());
    BucketState before = testKit.getState();
    assertThat(before.objects().size()).isEqualTo(entries.size() - 1);
    assertThat(testKit.snapshotTestKit()).isPresent();
    assertThat(testKit.snapshotTestKit().get().persistedInStorage(PERSISTENCE_ID))
        .as("snapshots were taken every %d events", SNAPSHOT_EVERY).isNotEmpty();

    var restarted = testKit.restart();
    assertThat(restarted.state()).isEqualTo(before);
    assertThat(restarted.state().objects().toList()).extracting(ObjectEntry::key)
        .isSortedAccordingTo(ObjectKeys.UTF8_BINARY_ORDER);
    for (int i = 0; i < entries.size(); i++) {
      var got = get(OWNER, entries.get(i).key());
      if (i == 3) {
        assertRejected(got, S3Errors.NoSuchKey);
      } else {
        assertThat(got.reply()).isEqualTo(new ObjectFound(entries.get(i)));
      }
    }
    // The entity still works after recovery.
    assertThat(deleteObject(OWNER, entries.get(5).key()).reply())
        .isEqualTo(new ObjectDeleted(entries.get(5).key(), true));
  }

  @Test
  void restart_ofDeletedBucket_staysDeleted() {
    create(OWNER);
    deleteBucket(OWNER);
    assertThat(testKit.restart().state().status()).isEqualTo(BucketState.Status.DELETED);
    assertRejected(run(r -> new BucketCommand.Head(OWNER, r)), S3Errors.NoSuchBucket);
  }

  // ---------------------------------------------------------------- replies on the wire

  @Test
  void replies_roundTripThroughTheCborSerializer() {
    ObjectEntry entry = new ObjectEntry("k\u00e9y/\uD83D\uDE00", blob("x"), "text/plain",
        Map.of("a", "b"), StorageClass.GLACIER, T0);
    List<Reply> replies = List.of(
        expectedInfo(OWNER),
        new BucketDeleted(BUCKET),
        new ObjectFound(entry),
        new ObjectDeleted("k", false),
        new ListPage(List.of(entry), List.of("a/"), true, "a2V5"),
        new ListPage(List.of(), List.of(), false, ""),
        new Rejected(S3Errors.NoSuchKey.withMessage("nope")));
    for (Reply reply : replies) {
      kit.serializationTestKit().verifySerialization(reply, true);
    }
  }

  @Test
  void state_roundTripsThroughTheCborSerializerAsTheSnapshotDoes() {
    ObjectIndex index = TestObjects.index(List.of("b", "a", "\uFF5E", "\uD83D\uDE00", "a/b"));
    BucketState state = new BucketState(BUCKET, BucketState.Status.ACTIVE, OWNER, "us-east-1",
        T0, index);
    BucketState copy = kit.serializationTestKit().verifySerialization(state, true);
    assertThat(copy.objects().toList()).extracting(ObjectEntry::key)
        .containsExactly("a", "a/b", "b", "\uFF5E", "\uD83D\uDE00");
    kit.serializationTestKit().verifySerialization(BucketState.absent(BUCKET), true);
  }
}
