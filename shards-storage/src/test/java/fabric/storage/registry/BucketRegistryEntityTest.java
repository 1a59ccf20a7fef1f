package fabric.storage.registry;

import fabric.core.testkit.EntityTestKit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fabric.core.entity.EntityCommand;
import fabric.core.entity.Rejected;
import fabric.core.entity.Reply;
import fabric.core.entity.ResourceEntity;
import fabric.core.topology.NodeLocation;
import fabric.storage.S3Errors;
import fabric.storage.registry.RegistryCommand.Buckets;
import fabric.storage.registry.RegistryCommand.Claimed;
import fabric.storage.registry.RegistryCommand.Lookup;
import fabric.storage.registry.RegistryCommand.Released;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The global bucket-name registry on the in-memory journal, serialization verified. */
class BucketRegistryEntityTest {
  private static final NodeLocation LOCATION =
      new NodeLocation("node-1", "us-east-1", "us-east-1a");
  private static final String ALICE = "111111111111";
  private static final String BOB = "222222222222";
  private static final int LIMIT = 3;
  private static final Instant T0 = Instant.parse("2024-06-01T12:00:00Z");

  private static ActorTestKit kit;

  private EventSourcedBehaviorTestKit<EntityCommand, RegistryEvent, RegistryState> testKit;

  @BeforeAll
  static void startActorSystem() {
    kit = EntityTestKit.actorTestKit("BucketRegistryEntityTest");
  }

  @AfterAll
  static void stopActorSystem() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void startEntity() {
    testKit = EntityTestKit.entity(kit, new BucketRegistryDefinition(LIMIT),
        BucketRegistryDefinition.ENTITY_ID);
  }

  // ---------------------------------------------------------------- helpers

  private CommandResultWithReply<EntityCommand, RegistryEvent, RegistryState, Reply> run(
      Function<ActorRef<Reply>, RegistryCommand> command) {
    return testKit.runCommand(replyTo -> command.apply(replyTo));
  }

  private CommandResultWithReply<EntityCommand, RegistryEvent, RegistryState, Reply> claim(
      String name, String account) {
    return run(r -> new RegistryCommand.Claim(name, account, "us-east-1", T0, r));
  }

  private CommandResultWithReply<EntityCommand, RegistryEvent, RegistryState, Reply> release(
      String name, String account) {
    return run(r -> new RegistryCommand.Release(name, account, r));
  }

  private List<BucketEntry> bucketsOf(String account) {
    return ((Buckets) run(r -> new RegistryCommand.ListBuckets(account, r)).reply()).buckets();
  }

  private static BucketEntry entry(String name, String owner) {
    return new BucketEntry(name, owner, "us-east-1", T0);
  }

  private static void assertRejected(
      CommandResultWithReply<EntityCommand, RegistryEvent, RegistryState, Reply> result,
      S3Errors code) {
    assertThat(result.reply()).isInstanceOf(Rejected.class);
    Rejected rejected = (Rejected) result.reply();
    assertThat(rejected.error().code()).isEqualTo(code.awsCode());
    assertThat(rejected.error().httpStatus()).isEqualTo(code.httpStatus());
    assertThat(rejected.error().category()).isEqualTo(code.category());
    assertThat(result.hasNoEvents()).as("a rejection persists nothing").isTrue();
  }

  // ---------------------------------------------------------------- claim

  @Test
  void claim_freeName_persistsNameClaimedAndRepliesClaimed() {
    var result = claim("photos", ALICE);
    assertThat(result.events()).containsExactly(
        new RegistryEvent.NameClaimed(entry("photos", ALICE)));
    assertThat(result.reply()).isEqualTo(new Claimed(entry("photos", ALICE)));
    assertThat(result.state().get("photos")).isEqualTo(entry("photos", ALICE));
    assertThat(result.state().countFor(ALICE)).isEqualTo(1);
  }

  @Test
  void claim_nameAlreadyHeldBySameAccount_rejectsBucketAlreadyOwnedByYou() {
    claim("photos", ALICE);
    var result = claim("photos", ALICE);
    assertRejected(result, S3Errors.BucketAlreadyOwnedByYou);
    assertThat(result.state().countFor(ALICE)).isEqualTo(1);
  }

  @Test
  void claim_nameHeldByOtherAccount_rejectsBucketAlreadyExists() {
    claim("photos", ALICE);
    var result = claim("photos", BOB);
    assertRejected(result, S3Errors.BucketAlreadyExists);
    assertThat(((Rejected) result.reply()).error().message()).contains("'photos'");
    assertThat(result.state().get("photos").owner()).isEqualTo(ALICE);
  }

  @Test
  void claim_invalidName_rejectsInvalidBucketName() {
    for (String name : List.of("ab", "Photos", "my_bucket", "192.168.1.1", "xn--abc", "-abc")) {
      var result = claim(name, ALICE);
      assertRejected(result, S3Errors.InvalidBucketName);
      assertThat(result.state().countFor(ALICE)).isZero();
    }
  }

  @Test
  void claim_beyondTheAccountLimit_rejectsTooManyBucketsWhileOtherAccountsCanStillClaim() {
    for (int i = 1; i <= LIMIT; i++) {
      assertThat(claim("alice-" + i, ALICE).reply()).isInstanceOf(Claimed.class);
    }
    var result = claim("alice-4", ALICE);
    assertRejected(result, S3Errors.TooManyBuckets);
    assertThat(((Rejected) result.reply()).error().message()).contains(ALICE).contains("3");
    assertThat(result.state().get("alice-4")).isNull();

    assertThat(claim("bob-1", BOB).reply()).isEqualTo(new Claimed(entry("bob-1", BOB)));
    assertThat(testKit.getState().countFor(ALICE)).isEqualTo(LIMIT);
    assertThat(testKit.getState().countFor(BOB)).isEqualTo(1);
  }

  @Test
  void claim_atTheLimit_stillReportsANameConflictFirst() {
    for (int i = 1; i <= LIMIT; i++) {
      claim("alice-" + i, ALICE);
    }
    claim("bob-1", BOB);
    assertRejected(claim("alice-1", ALICE), S3Errors.BucketAlreadyOwnedByYou);
    assertRejected(claim("bob-1", ALICE), S3Errors.BucketAlreadyExists);
  }

  @Test
  void definition_rejectsLimitsOutsideOneToOneThousand() {
    assertThatThrownBy(() -> new BucketRegistryDefinition(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BucketRegistryDefinition(1001))
        .isInstanceOf(IllegalArgumentException.class);
    new BucketRegistryDefinition(1000);
  }

  // ---------------------------------------------------------------- release

  @Test
  void release_byOwner_freesTheSlotAndTheName() {
    for (int i = 1; i <= LIMIT; i++) {
      claim("alice-" + i, ALICE);
    }
    assertRejected(claim("alice-4", ALICE), S3Errors.TooManyBuckets);

    var released = release("alice-2", ALICE);
    assertThat(released.events()).containsExactly(new RegistryEvent.NameReleased("alice-2"));
    assertThat(released.reply()).isEqualTo(new Released("alice-2", true));
    assertThat(released.state().get("alice-2")).isNull();
    assertThat(released.state().countFor(ALICE)).isEqualTo(LIMIT - 1);

    assertThat(claim("alice-4", ALICE).reply()).isInstanceOf(Claimed.class);
    assertRejected(claim("alice-5", ALICE), S3Errors.TooManyBuckets);
    // The freed name is free for everyone.
    assertThat(claim("alice-2", BOB).reply()).isEqualTo(new Claimed(entry("alice-2", BOB)));
  }

  @Test
  void release_byNonOwner_doesNothing() {
    claim("photos", ALICE);
    var result = release("photos", BOB);
    assertThat(result.hasNoEvents()).isTrue();
    assertThat(result.reply()).isEqualTo(new Released("photos", false));
    assertThat(result.state().get("photos")).isEqualTo(entry("photos", ALICE));
    assertThat(result.state().countFor(ALICE)).isEqualTo(1);
  }

  @Test
  void release_unknownName_doesNothing() {
    var result = release("never-claimed", ALICE);
    assertThat(result.hasNoEvents()).isTrue();
    assertThat(result.reply()).isEqualTo(new Released("never-claimed", false));
  }

  @Test
  void release_lastBucketOfAccount_dropsItsCountToZero() {
    claim("photos", ALICE);
    release("photos", ALICE);
    assertThat(testKit.getState().countFor(ALICE)).isZero();
    assertThat(bucketsOf(ALICE)).isEmpty();
    assertThat(testKit.getState()).isEqualTo(RegistryState.empty());
  }

  // ---------------------------------------------------------------- queries

  @Test
  void listBuckets_returnsOnlyThatAccountsBucketsSortedByName() {
    claim("zeta", ALICE);
    claim("beta", BOB);
    claim("alpha", ALICE);
    claim("m.n-o", ALICE);
    claim("gamma", BOB);

    var result = run(r -> new RegistryCommand.ListBuckets(ALICE, r));
    assertThat(result.hasNoEvents()).isTrue();
    assertThat(((Buckets) result.reply()).buckets()).containsExactly(
        entry("alpha", ALICE), entry("m.n-o", ALICE), entry("zeta", ALICE));
    assertThat(bucketsOf(BOB)).containsExactly(entry("beta", BOB), entry("gamma", BOB));
    assertThat(bucketsOf("333333333333")).isEmpty();
  }

  @Test
  void find_returnsTheHolderOrNull() {
    claim("photos", ALICE);
    assertThat(run(r -> new RegistryCommand.Find("photos", r)).reply())
        .isEqualTo(new Lookup("photos", entry("photos", ALICE)));
    assertThat(run(r -> new RegistryCommand.Find("videos", r)).reply())
        .isEqualTo(new Lookup("videos", null));
  }

  // ---------------------------------------------------------------- recovery

  @Test
  void restart_keepsNamesAndPerAccountCounts() {
    for (int i = 1; i <= LIMIT; i++) {
      claim("alice-" + i, ALICE);
    }
    claim("bob-1", BOB);
    release("alice-1", ALICE);
    RegistryState before = testKit.getState();

    var restarted = testKit.restart();
    assertThat(restarted.state()).isEqualTo(before);
    assertThat(restarted.state().countFor(ALICE)).isEqualTo(LIMIT - 1);
    assertThat(restarted.state().countFor(BOB)).isEqualTo(1);
    assertThat(bucketsOf(ALICE)).extracting(BucketEntry::name)
        .containsExactly("alice-2", "alice-3");
    // The limit still counts the recovered buckets.
    assertThat(claim("alice-9", ALICE).reply()).isInstanceOf(Claimed.class);
    assertRejected(claim("alice-10", ALICE), S3Errors.TooManyBuckets);
  }

  @Test
  void restart_fromSnapshot_rebuildsTheCounts() {
    // Enough claims and releases to cross the default snapshot interval (1,000 events).
    BucketRegistryDefinition definition = new BucketRegistryDefinition(LIMIT);
    int accounts = 400;
    for (int a = 0; a < accounts; a++) {
      String account = String.format("%012d", a);
      for (int i = 0; i < LIMIT; i++) {
        claim("b-" + a + "-" + i, account);
      }
    }
    for (int a = 0; a < accounts; a += 2) {
      release("b-" + a + "-0", String.format("%012d", a));
    }
    assertThat(definition.snapshotEveryEvents()).isLessThan(accounts * LIMIT);
    assertThat(testKit.snapshotTestKit().orElseThrow().persistedInStorage(
        ResourceEntity.persistenceId(definition, BucketRegistryDefinition.ENTITY_ID).id()))
        .isNotEmpty();
    RegistryState before = testKit.getState();

    RegistryState after = testKit.restart().state();
    assertThat(after).isEqualTo(before);
    List<Integer> counts = new ArrayList<>();
    for (int a = 0; a < accounts; a++) {
      counts.add(after.countFor(String.format("%012d", a)));
    }
    for (int a = 0; a < accounts; a++) {
      assertThat(counts.get(a)).as("account %d", a).isEqualTo(a % 2 == 0 ? LIMIT - 1 : LIMIT);
    }
    assertRejected(claim("b-1-new", String.format("%012d", 1)), S3Errors.TooManyBuckets);
    assertThat(claim("b-0-new", String.format("%012d", 0)).reply()).isInstanceOf(Claimed.class);
  }

  // ---------------------------------------------------------------- wire format

  @Test
  void replies_roundTripThroughTheCborSerializer() {
    List<Reply> replies = List.of(
        new Claimed(entry("photos", ALICE)),
        new Released("photos", true),
        new Buckets(List.of(entry("a-b", ALICE), entry("c-d", ALICE))),
        new Buckets(List.of()),
        new Lookup("photos", entry("photos", ALICE)),
        new Lookup("videos", null),
        new Rejected(S3Errors.TooManyBuckets.withMessage("too many")));
    for (Reply reply : replies) {
      kit.serializationTestKit().verifySerialization(reply, true);
    }
  }

  @Test
  void state_roundTripsThroughTheCborSerializerWithItsCounts() {
    RegistryState state = RegistryState.empty()
        .claim(entry("b-bucket", ALICE)).claim(entry("a-bucket", ALICE))
        .claim(entry("c-bucket", BOB));
    RegistryState copy = kit.serializationTestKit().verifySerialization(state, true);
    assertThat(copy.countFor(ALICE)).isEqualTo(2);
    assertThat(copy.countFor(BOB)).isEqualTo(1);
    assertThat(copy.toList()).extracting(BucketEntry::name)
        .containsExactly("a-bucket", "b-bucket", "c-bucket");
    kit.serializationTestKit().verifySerialization(RegistryState.empty(), true);
  }
}
