package fabric.dynamo.partition;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.core.entity.Outcome;
import fabric.dynamo.global.ReplicaWrite;
import fabric.dynamo.model.AttributeValue;
import fabric.dynamo.model.Item;
import fabric.dynamo.model.KeySchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Two replicas of a partition driven through the real decide and evolve: local puts and
 * deletes in both regions at skewed clocks, their feeds delivered late, out of order and
 * twice; once everything is delivered both hold the same items.
 */
class GlobalConvergenceTest {
  private static final PartitionDefinition DEFINITION = new PartitionDefinition();
  private static final String[] REGIONS = {"us-east-1", "eu-west-1"};

  /** A local write: {@code delete} or a put of {@code value}, at {@code clock} there. */
  record Op(int region, int key, boolean delete, long clock, int value) {}

  @Provide
  Arbitrary<List<Op>> ops() {
    return Combinators.combine(Arbitraries.integers().between(0, 1),
        Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 3),
        Arbitraries.longs().between(1, 40), Arbitraries.integers().between(0, 9))
        .as((region, key, kind, clock, value) -> new Op(region, key, kind == 0, clock, value))
        .list().ofMaxSize(40);
  }

  private static PartitionState apply(PartitionState s,
      Outcome<PartitionEvent, PartitionState> outcome, List<ReplicaWrite> feed) {
    if (!(outcome instanceof Outcome.Persist<PartitionEvent, PartitionState> persist)) {
      return s;
    }
    for (PartitionEvent e : persist.events()) {
      s = DEFINITION.evolve(s, e);
      if (feed != null) {
        feed.addAll(PartitionGlobal.writes(s.global().region(), e));
      }
    }
    return s;
  }

  private static PartitionState replica(int region) {
    PartitionState s = DEFINITION.emptyState("acct/" + REGIONS[region] + "/t/tid/p0");
    s = apply(s, DEFINITION.decide(s, new PartitionCommand.Init(new KeySchema("id", "S", null,
        null), List.of(), 0, "NEW_AND_OLD_IMAGES", 0, null)), null);
    return apply(s, DEFINITION.decide(s, new PartitionCommand.SetGlobal(REGIONS[region],
        List.of(REGIONS[1 - region]), null)), null);
  }

  @Property(tries = 300)
  void replicasConvergeWhateverTheDelivery(@ForAll("ops") List<Op> ops, @ForAll long seed) {
    Random random = new Random(seed);
    PartitionState[] replicas = {replica(0), replica(1)};
    // inFlight[i]: writes on their way to region i
    List<List<ReplicaWrite>> inFlight = List.of(new ArrayList<>(), new ArrayList<>());
    for (Op op : ops) {
      deliverSome(replicas, inFlight, random, random.nextInt(3));
      PartitionState s = replicas[op.region()];
      AttributeValue id = new AttributeValue.S("k" + op.key());
      PartitionCommand command = op.delete()
          ? new PartitionCommand.Delete(Map.of("id", id), RequestExpressions.NONE, false,
              op.clock(), null)
          : new PartitionCommand.Put(new Item(Map.of("id", id, "v",
              new AttributeValue.S(REGIONS[op.region()] + "-" + op.value()))),
              RequestExpressions.NONE, false, op.clock(), null);
      List<ReplicaWrite> feed = new ArrayList<>();
      replicas[op.region()] = apply(s, DEFINITION.decide(s, command), feed);
      inFlight.get(1 - op.region()).addAll(feed);
      if (random.nextInt(4) == 0) {
        inFlight.get(1 - op.region()).addAll(feed); // shipped twice (a crash before the cursor)
      }
    }
    deliverSome(replicas, inFlight, random, Integer.MAX_VALUE);
    // The items, not their versions: those are each replica's own event numbers.
    assertThat(replicas[1].items().toList()).extracting(ItemStore.Entry::key,
        ItemStore.Entry::item).isEqualTo(replicas[0].items().toList().stream()
        .map(e -> org.assertj.core.groups.Tuple.tuple(e.key(), e.item())).toList());
  }

  /** Delivers up to {@code n} in-flight writes, each picked at random (out of order). */
  private static void deliverSome(PartitionState[] replicas, List<List<ReplicaWrite>> inFlight,
      Random random, int n) {
    for (int i = 0; i < n; i++) {
      int to = random.nextInt(2);
      List<ReplicaWrite> queue = inFlight.get(to);
      if (queue.isEmpty()) {
        queue = inFlight.get(to = 1 - to);
        if (queue.isEmpty()) {
          return;
        }
      }
      ReplicaWrite w = queue.remove(random.nextInt(queue.size()));
      PartitionState s = replicas[to];
      replicas[to] = apply(s, DEFINITION.decide(s, new PartitionCommand.ApplyReplica(
          List.of(w), null)), null);
    }
  }
}
