package fabric.drills.check;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.drills.history.History;
import fabric.drills.history.Op;
import fabric.drills.history.OpValue;
import fabric.drills.history.SteppingClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KinesisCheckerTest {
  private static final String S = "s";
  private static final String A = "shardId-000000000000";
  private static final String B = "shardId-000000000001";
  private static final String C = "shardId-000000000002";
  private static final String D = "shardId-000000000003";
  private static final String E = "shardId-000000000004";
  private final History h = new History(SteppingClock.millis());

  private static String seq(int n) {
    return String.format("49%054d", n);
  }

  /** A PutRecords of {@code bodies}; {@code answers} per record: "A/3" = shard A, record 3,
   *  or "!Code"; null answers = the call's outcome was unknown. */
  private void put(int p, List<String> bodies, List<String> answers) {
    List<OpValue.Message> asked = new ArrayList<>();
    for (String b : bodies) {
      asked.add(OpValue.message(KinesisChecker.keyOf(b), b));
    }
    Op op = h.invoke(p, KinesisChecker.PUT, S, OpValue.messages(asked));
    if (answers == null) {
      h.info(op, "DEADLINE_EXCEEDED");
      return;
    }
    List<OpValue.Message> got = new ArrayList<>();
    for (int i = 0; i < bodies.size(); i++) {
      String a = answers.get(i);
      String id = a.startsWith("!") ? a : shard(a.charAt(0)) + "/"
          + seq(Integer.parseInt(a.substring(2)));
      got.add(OpValue.message(id, bodies.get(i)));
    }
    h.ok(op, OpValue.messages(got));
  }

  private static String shard(char letter) {
    return String.format("shardId-%012d", letter - 'A');
  }

  /** The end of closed shard {@code parent}: "C=A" = child C of parent A; "E=C,B" merged. */
  private void children(String parent, String... children) {
    h.ok(h.invoke(9, KinesisChecker.CHILDREN, S + "/" + parent, null),
        OpValue.messages(lineage(children)));
  }

  /** A ListShards after the producers stopped, shards as {@link #children} spells them. */
  private void listShards(String... shards) {
    h.ok(h.invoke(8, KinesisChecker.SHARDS, S, null), OpValue.messages(lineage(shards)));
  }

  private static List<OpValue.Message> lineage(String... shards) {
    List<OpValue.Message> out = new ArrayList<>();
    for (String c : shards) {
      String[] parts = c.split("=", 2);
      String parents = parts.length < 2 ? "" : String.join(",",
          parts[1].chars().filter(Character::isLetter).mapToObj(x -> shard((char) x))
              .toList());
      out.add(OpValue.message(shard(parts[0].charAt(0)), parents));
    }
    return out;
  }

  private void refused(int p, String body) {
    Op op = h.invoke(p, KinesisChecker.PUT, S, OpValue.messages(List.of(
        OpValue.message(KinesisChecker.keyOf(body), body))));
    h.fail(op, "INVALID_ARGUMENT/ValidationException");
  }

  /** A read of {@code shard}: "3=k1:2" = sequence number of record 3, body k1:2. */
  private void read(String shard, String... records) {
    List<OpValue.Message> got = new ArrayList<>();
    for (String r : records) {
      int eq = r.indexOf('=');
      got.add(OpValue.message(seq(Integer.parseInt(r.substring(0, eq))),
          r.substring(eq + 1)));
    }
    h.ok(h.invoke(9, KinesisChecker.READ, S + "/" + shard, null), OpValue.messages(got));
  }

  private CheckResult check() {
    return KinesisChecker.check(h.calls(), S, Set.of(A, B));
  }

  private List<String> kinds(CheckResult r) {
    return r.violations().stream().map(v -> v instanceof KinesisViolation k ? k.kind()
        : v.getClass().getSimpleName()).toList();
  }

  @Test
  void everyAcknowledgedRecordReadOnceInOrderPasses() {
    put(0, List.of("k0:1", "k1:1"), List.of("A/0", "B/0"));
    put(0, List.of("k0:2", "k1:2"), null); // unknown: k0:2 landed, k1:2 did not
    put(0, List.of("k0:3", "k1:3"), List.of("A/2", "!InternalFailure"));
    put(1, List.of("k2:1"), List.of("!ProvisionedThroughputExceededException"));
    put(1, List.of("k2:2"), List.of("A/3"));
    read(A, "0=k0:1");
    read(A);
    read(A, "1=k0:2", "2=k0:3", "3=k2:2");
    read(B, "0=k1:1");

    CheckResult r = check();

    assertThat(r.violations()).isEmpty();
    assertThat(r.verdict()).isEqualTo(Verdict.OK);
    assertThat(r.counts()).containsEntry("records_ok", 4L)
        .containsEntry("records_unknown", 3L).containsEntry("unknown_records_read", 1L)
        .containsEntry("records_refused", 1L).containsEntry("records_read", 5L)
        .containsEntry("lost", 0L).containsEntry("duplicates", 0L);
  }

  @Test
  void anAcknowledgedRecordNeverReadIsLost() {
    put(0, List.of("k0:1", "k1:1"), List.of("A/0", "B/0"));
    read(A, "0=k0:1");
    read(B);

    CheckResult r = check();

    assertThat(kinds(r)).containsExactly("LostWrite");
    assertThat(r.violations().get(0).message()).contains("k1:1").contains(B);
    assertThat(r.counts()).containsEntry("lost", 1L);
  }

  @Test
  void aMissingRecordOfAShardNotReadToTheTipIsInconclusive() {
    put(0, List.of("k1:1"), List.of("B/0"));
    read(A);

    CheckResult r = KinesisChecker.check(h.calls(), S, Set.of(A));

    assertThat(r.violations()).isEmpty();
    assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
  }

  @Test
  void aRecordReadTwiceIsADuplicateEvenIfItsPutWasUnknown() {
    put(0, List.of("k0:1"), null);
    read(A, "0=k0:1");
    read(A, "1=k0:1");

    assertThat(kinds(check())).contains(KinesisViolation.DUPLICATE);
  }

  @Test
  void sequenceNumbersGoingBackAreOutOfOrder() {
    put(0, List.of("k0:1"), List.of("A/5"));
    put(1, List.of("k1:1"), List.of("A/4"));
    read(A, "5=k0:1");
    read(A, "4=k1:1");

    assertThat(kinds(check())).containsExactly(KinesisViolation.OUT_OF_ORDER);
  }

  @Test
  void aKeysAcknowledgedCountersMustGrow() {
    put(0, List.of("k0:2"), List.of("A/0"));
    put(0, List.of("k0:1"), List.of("A/1")); // what a reordering shard would show
    read(A, "0=k0:2", "1=k0:1");

    assertThat(kinds(check())).containsExactly(KinesisViolation.KEY_ORDER);
  }

  @Test
  void refusedOrNeverSentRecordsMustNotBeRead() {
    refused(0, "k0:1");
    put(0, List.of("k0:2"), List.of("!ProvisionedThroughputExceededException"));
    read(A, "0=k0:1", "1=k0:2", "2=zz:9");

    assertThat(kinds(check())).containsExactly(KinesisViolation.PHANTOM,
        KinesisViolation.PHANTOM, KinesisViolation.PHANTOM);
  }

  @Test
  void anAcknowledgedRecordMustBeWhereItsPutSaid() {
    put(0, List.of("k0:1"), List.of("A/7"));
    read(A, "3=k0:1");

    assertThat(kinds(check())).containsExactly(KinesisViolation.WRONG_POSITION);
  }

  @Test
  void nothingAcknowledgedIsInconclusive() {
    put(0, List.of("k0:1"), null);
    read(A);

    assertThat(check().verdict()).isEqualTo(Verdict.UNKNOWN);
  }

  /** A and B; A split into C and D: k0 moves from A to C, k1 from A to D. */
  private void splitOfA(String childCRecords, String childDRecords) {
    put(0, List.of("k0:1", "k1:1"), List.of("A/0", "A/1"));
    put(0, List.of("k0:2", "k1:2"), List.of("C/0", "D/0"));
    read(A, "0=k0:1", "1=k1:1");
    children(A, "C=A", "D=A");
    read(B);
    read(C, childCRecords.isEmpty() ? new String[0] : childCRecords.split(" "));
    read(D, childDRecords.isEmpty() ? new String[0] : childDRecords.split(" "));
    listShards("A", "B", "C=A", "D=A");
  }

  private CheckResult checkAll() {
    return KinesisChecker.check(h.calls(), S, Set.of(A, B, C, D, E));
  }

  @Test
  void aSplitFollowedFromParentToChildrenPasses() {
    splitOfA("0=k0:2", "0=k1:2");

    CheckResult r = checkAll();

    assertThat(r.violations()).isEmpty();
    assertThat(r.verdict()).isEqualTo(Verdict.OK);
    assertThat(r.counts()).containsEntry("records_ok", 4L).containsEntry("records_read", 4L)
        .containsEntry("shards_listed", 4L).containsEntry("shards_read", 4L);
  }

  @Test
  void aRecordMissingFromAChildIsLost() {
    splitOfA("0=k0:2", "");

    CheckResult r = checkAll();

    assertThat(kinds(r)).containsExactly("LostWrite");
    assertThat(r.violations().get(0).message()).contains("k1:2").contains(D);
  }

  @Test
  void aRecordOfTheParentReadAgainInAChildIsADuplicate() {
    splitOfA("0=k0:2", "0=k1:2 1=k1:1");

    assertThat(kinds(checkAll())).containsExactly(KinesisViolation.DUPLICATE);
  }

  @Test
  void aKeysRecordInTheParentMustPrecedeItsRecordsInTheChild() {
    // k0:2 acknowledged in the parent after k0:1 was in the child: a put routed to a closed
    // parent. Each shard alone is in order; only the lineage shows it.
    put(0, List.of("k0:1"), List.of("C/0"));
    put(0, List.of("k0:2"), List.of("A/0"));
    read(A, "0=k0:2");
    children(A, "C=A", "D=A");
    read(C, "0=k0:1");
    read(D);
    read(B);

    CheckResult r = checkAll();

    assertThat(kinds(r)).containsExactly(KinesisViolation.KEY_ORDER);
    assertThat(r.violations().get(0).message()).contains("k0").contains("earlier generation");
  }

  @Test
  void aMergesChildComesAfterBothParents() {
    // A split into C and D; then C and B merged into E: k0 goes A -> C -> E.
    put(0, List.of("k0:1"), List.of("A/0"));
    put(0, List.of("k0:2"), List.of("C/0"));
    put(0, List.of("k0:3"), List.of("E/0"));
    read(E, "0=k0:3"); // read first in time: only the lineage orders the shards
    read(A, "0=k0:1");
    children(A, "C=A", "D=A");
    read(C, "0=k0:2");
    children(C, "E=C,B");
    read(B);
    children(B, "E=C,B");
    read(D);
    listShards("A", "B", "C=A", "D=A", "E=C,B");

    CheckResult r = checkAll();

    assertThat(r.violations()).isEmpty();
    assertThat(r.counts()).containsEntry("records_read", 3L);
  }

  @Test
  void aMergesChildBeforeAParentsRecordIsOutOfKeyOrder() {
    put(0, List.of("k0:2"), List.of("E/0"));
    put(0, List.of("k0:3"), List.of("C/0")); // after the merge, yet in a parent
    read(C, "0=k0:3");
    children(C, "E=C,B");
    read(B);
    children(B, "E=C,B");
    read(E, "0=k0:2");
    listShards("B", "C", "E=C,B");

    assertThat(kinds(checkAll())).containsExactly(KinesisViolation.KEY_ORDER);
  }

  @Test
  void aListedChildNoReaderReachedIsUnfollowed() {
    put(0, List.of("k0:1"), List.of("A/0"));
    read(A, "0=k0:1");
    children(A, "C=A"); // the end named C only
    read(B);
    read(C);
    listShards("A", "B", "C=A", "D=A");

    assertThat(kinds(checkAll())).containsExactly(KinesisViolation.UNFOLLOWED);
  }

  @Test
  void theLineageNotTheShardIdsOrdersAKeysShards() {
    // ids as no fabric gives them (a child below its parent), so that only the lineage
    // tells the order
    put(0, List.of("k0:1"), List.of("E/0"));
    put(0, List.of("k0:2"), List.of("C/0"));
    read(E, "0=k0:1");
    children(E, "C=E");
    read(C, "0=k0:2");

    assertThat(KinesisChecker.check(h.calls(), S, Set.of(C, E)).violations()).isEmpty();
  }
}
