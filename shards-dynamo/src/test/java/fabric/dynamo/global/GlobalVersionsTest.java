package fabric.dynamo.global;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.dynamo.model.AttributeValue;
import fabric.dynamo.model.Item;
import fabric.dynamo.model.PrimaryKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Last writer wins, pure: versions, stamps, tombstones and their bound; any order of the
 *  same writes ends in the same state. */
class GlobalVersionsTest {
  private static final String[] REGIONS = {"eu-west-1", "us-east-1", "ap-south-1"};

  private static PrimaryKey key(String k) {
    return PrimaryKey.of(new AttributeValue.S(k), null);
  }

  private static Item item(String k, String v) {
    return new Item(Map.of("id", new AttributeValue.S(k), "v", new AttributeValue.S(v)));
  }

  /** A replica's items and versions: what applying a write does (as the partition does). */
  private record Replica(GlobalVersions versions, Map<PrimaryKey, Item> items) {
    static Replica of(String region) {
      return new Replica(GlobalVersions.of(region), Map.of());
    }

    Replica apply(ReplicaWrite w) {
      if (!versions.accepts(w)) {
        return this;
      }
      Map<PrimaryKey, Item> next = new TreeMap<>(PrimaryKey.ORDER);
      next.putAll(items);
      if (w.delete()) {
        next.remove(w.key());
      } else {
        next.put(w.key(), w.item());
      }
      return new Replica(versions.written(w.key(), w.version(), w.delete()), next);
    }
  }

  @Test
  void newerWinsEqualIsTheSameWriteAndTiesGoByRegion() {
    Version v1 = new Version(100, "us-east-1");
    assertThat(new Version(101, "eu-west-1").newerThan(v1)).isTrue();
    assertThat(new Version(99, "us-west-2").newerThan(v1)).isFalse();
    assertThat(new Version(100, "us-east-1").newerThan(v1)).as("seen again").isFalse();
    assertThat(new Version(100, "us-west-2").newerThan(v1)).as("same ms: by region").isTrue();
    assertThat(new Version(100, "eu-west-1").newerThan(v1)).isFalse();
    assertThat(new Version(0, "eu-west-1").newerThan(Version.ZERO))
        .as("a copied item written before the table was global").isTrue();
  }

  @Test
  void aLocalWriteIsStampedPastTheKeysVersion() {
    GlobalVersions g = GlobalVersions.of("us-east-1")
        .written(key("a"), new Version(5_000, "eu-west-1"), false);
    assertThat(g.stamp(key("a"), 1_000)).as("a region whose clock is ahead").isEqualTo(5_001);
    assertThat(g.stamp(key("a"), 9_000)).isEqualTo(9_000);
    assertThat(g.stamp(key("b"), 1_000)).isEqualTo(1_000);
  }

  @Test
  void aTombstoneKeepsAnOlderPutOutUntilItExpires() {
    Replica r = Replica.of("us-east-1")
        .apply(new ReplicaWrite(key("a"), item("a", "1"), new Version(1_000, "us-east-1")))
        .apply(new ReplicaWrite(key("a"), null, new Version(2_000, "eu-west-1")));
    assertThat(r.items()).isEmpty();
    assertThat(r.versions().deleted(key("a"))).isTrue();
    assertThat(r.versions().tombstones()).isEqualTo(1);
    Replica late = r.apply(new ReplicaWrite(key("a"), item("a", "late"),
        new Version(1_500, "us-east-1")));
    assertThat(late.items()).as("an older put does not resurrect").isEmpty();

    // A day later another write prunes the tombstone: the documented bound.
    long dayLater = 2_000 + GlobalVersions.TOMBSTONE_MILLIS + 1;
    GlobalVersions pruned = r.versions().written(key("b"), new Version(dayLater, "us-east-1"),
        false);
    assertThat(pruned.tombstones()).isZero();
    assertThat(pruned.deleted(key("a"))).isFalse();
    // Rewriting a deleted key drops its tombstone.
    assertThat(r.versions().written(key("a"), new Version(3_000, "us-east-1"), false)
        .tombstones()).isZero();
  }

  @Test
  void peersKeepTheirCursorsAndTheStateRoundTrips() {
    GlobalVersions g = GlobalVersions.of("us-east-1").withPeers(Map.of("eu-west-1", 7L))
        .shipped("eu-west-1", 12).shipped("eu-west-1", 9)
        .written(key("a"), new Version(1, "us-east-1"), true)
        .written(key("b"), new Version(2, "eu-west-1"), false);
    assertThat(g.peers()).isEqualTo(Map.of("eu-west-1", 12L));
    assertThat(g.withPeers(Map.of("eu-west-1", 50L, "ap-south-1", 50L)).peers())
        .isEqualTo(Map.of("eu-west-1", 12L, "ap-south-1", 50L));
    GlobalVersions back = GlobalVersions.fromJson(g.region(), g.peers(), g.toList());
    assertThat(back).isEqualTo(g);
    assertThat(back.tombstones()).isEqualTo(1);
    assertThat(back.tombstonesAfter(null, 10).entries()).extracting(GlobalVersions.Entry::key)
        .containsExactly(key("a"));
    assertThat(back.tombstonesAfter(null, 10).lastKey()).isNull();
    // A page looks at ten versions per tombstone it may return at most.
    GlobalVersions live = g;
    for (int i = 0; i < 30; i++) {
      live = live.written(key("live" + i), new Version(3, "us-east-1"), false);
    }
    GlobalVersions.Tombstones first = live.tombstonesAfter(null, 1);
    int pages = 1;
    List<GlobalVersions.Entry> all = new ArrayList<>(first.entries());
    for (var page = first; page.lastKey() != null; pages++) {
      page = live.tombstonesAfter(page.lastKey(), 1);
      all.addAll(page.entries());
    }
    assertThat(all).extracting(GlobalVersions.Entry::key).containsExactly(key("a"));
    assertThat(pages).isGreaterThan(1);
  }

  @Provide
  Arbitrary<List<ReplicaWrite>> writes() {
    Arbitrary<ReplicaWrite> one = Combinators.combine(Arbitraries.integers().between(0, 3),
        Arbitraries.longs().between(1, 30), Arbitraries.integers().between(0, 2),
        Arbitraries.integers().between(0, 3)).as((k, millis, region, kind) -> {
          Version v = new Version(millis, REGIONS[region]);
          String name = "k" + k;
          // The content follows from the version: one version is one write.
          return new ReplicaWrite(key(name), kind == 0 ? null
              : item(name, v.region() + "@" + v.millis()), v);
        });
    return one.list().ofMaxSize(40).map(list -> {
      Set<String> seen = new HashSet<>();
      List<ReplicaWrite> unique = new ArrayList<>();
      for (ReplicaWrite w : list) {
        if (seen.add(w.key() + "/" + w.version())) {
          unique.add(w);
        }
      }
      return unique;
    });
  }

  @Property(tries = 300)
  void anyOrderOfTheSameWritesConverges(@ForAll("writes") List<ReplicaWrite> writes,
      @ForAll long seed) {
    List<ReplicaWrite> shuffled = new ArrayList<>(writes);
    Collections.shuffle(shuffled, new Random(seed));
    List<ReplicaWrite> twice = new ArrayList<>(writes);
    twice.addAll(shuffled); // replayed writes (a feed re-shipping) change nothing
    Replica inOrder = Replica.of("us-east-1");
    for (ReplicaWrite w : writes) {
      inOrder = inOrder.apply(w);
    }
    Replica other = Replica.of("us-east-1");
    for (ReplicaWrite w : shuffled) {
      other = other.apply(w);
    }
    Replica replayed = Replica.of("us-east-1");
    for (ReplicaWrite w : twice) {
      replayed = replayed.apply(w);
    }
    assertThat(other.items()).isEqualTo(inOrder.items());
    assertThat(other.versions()).isEqualTo(inOrder.versions());
    assertThat(replayed.items()).isEqualTo(inOrder.items());
    // The winner of each key is its newest write.
    Map<PrimaryKey, ReplicaWrite> newest = new TreeMap<>(PrimaryKey.ORDER);
    for (ReplicaWrite w : writes) {
      newest.merge(w.key(), w, (a, b) -> b.version().newerThan(a.version()) ? b : a);
    }
    Map<PrimaryKey, Item> expected = new TreeMap<>(PrimaryKey.ORDER);
    newest.values().stream().filter(w -> !w.delete()).forEach(w -> expected.put(w.key(),
        w.item()));
    assertThat(inOrder.items()).isEqualTo(expected);
  }
}
