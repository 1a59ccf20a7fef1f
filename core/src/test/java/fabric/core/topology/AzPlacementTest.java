package fabric.core.topology;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.core.topology.AzPlacement.Region;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AzPlacementTest {

  private static Map<Region<String>, List<String>> regions(String... azOfEachNode) {
    Map<Region<String>, List<String>> allocation = new HashMap<>();
    for (int i = 0; i < azOfEachNode.length; i++) {
      allocation.put(new Region<>("node-" + i, azOfEachNode[i], "addr-" + i), new ArrayList<>());
    }
    return allocation;
  }

  private static void allocate(Map<Region<String>, List<String>> allocation, int shards) {
    for (int s = 0; s < shards; s++) {
      Map<Region<String>, Integer> counts = new HashMap<>();
      allocation.forEach((r, l) -> counts.put(r, l.size()));
      allocation.get(AzPlacement.allocate(counts)).add("shard-" + s);
    }
  }

  private static Map<String, Integer> countsPerAz(Map<Region<String>, List<String>> allocation) {
    Map<String, Integer> perAz = new HashMap<>();
    allocation.forEach((region, shards) -> perAz.merge(region.az(), shards.size(), Integer::sum));
    return perAz;
  }

  @Test
  void newShardsSpreadEvenlyOverThreeAzs() {
    var allocation = regions("us-east-1a", "us-east-1b", "us-east-1c");
    allocate(allocation, 30);
    assertThat(countsPerAz(allocation))
        .containsEntry("us-east-1a", 10).containsEntry("us-east-1b", 10)
        .containsEntry("us-east-1c", 10);
  }

  @Test
  void azsAreBalancedBeforeNodesSoAnAzWithTwoNodesGetsNoMoreThanItsShare() {
    var allocation = regions("us-east-1a", "us-east-1a", "us-east-1b", "us-east-1c");
    allocate(allocation, 30);
    assertThat(countsPerAz(allocation).values()).containsOnly(10);
    allocation.forEach((region, shards) -> {
      if (region.az().equals("us-east-1a")) {
        assertThat(shards).hasSize(5);
      }
    });
  }

  @Test
  void rebalanceTakesOneShardFromTheMostLoadedAzOnlyWhenAzsDifferByMoreThanOne() {
    Region<String> a = new Region<>("a", "us-east-1a", "addr-a");
    Region<String> b = new Region<>("b", "us-east-1b", "addr-b");
    Region<String> c = new Region<>("c", "us-east-1c", "addr-c");
    assertThat(AzPlacement.rebalanceFrom(Map.of(a, 12, b, 9, c, 9))).contains(a);
    assertThat(AzPlacement.rebalanceFrom(Map.of(a, 10, b, 10, c, 9))).isEmpty();
    assertThat(AzPlacement.rebalanceFrom(Map.of(a, 0, b, 0, c, 0))).isEmpty();
  }

  @Test
  void aRestartedNodeInAnEmptyAzPullsShardsBackOneAtATime() {
    Region<String> a = new Region<>("a", "us-east-1a", "addr-a");
    Region<String> b = new Region<>("b", "us-east-1b", "addr-b");
    Region<String> c = new Region<>("c", "us-east-1c", "addr-c");
    Map<Region<String>, Integer> counts = new HashMap<>(Map.of(a, 15, b, 15, c, 0));
    int rounds = 0;
    while (AzPlacement.rebalanceFrom(counts).isPresent()) {
      Region<String> from = AzPlacement.rebalanceFrom(counts).orElseThrow();
      counts.merge(from, -1, Integer::sum);
      counts.merge(AzPlacement.allocate(counts), 1, Integer::sum);
      rounds++;
    }
    assertThat(counts.get(c)).isEqualTo(10);
    assertThat(rounds).isEqualTo(10);
  }

  @Test
  void oneAzMeansNoRebalancing() {
    Region<String> a = new Region<>("a", "us-east-1a", "addr-a");
    Region<String> a2 = new Region<>("a2", "us-east-1a", "addr-a2");
    assertThat(AzPlacement.rebalanceFrom(Map.of(a, 20, a2, 0))).isEmpty();
  }
}
