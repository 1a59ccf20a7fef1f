package fabric.kinesis.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fabric.kinesis.model.HashKeys;
import fabric.kinesis.stream.StreamShard;
import fabric.kinesis.stream.StreamState;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Routing by binary search agrees with "the open shard whose range holds the key". */
class ShardRoutesTest {
  private static StreamState stream(List<StreamShard> shards, StreamState.Reshard reshard) {
    return new StreamState("acct/r/s", "arn", StreamState.ACTIVE, "PROVISIONED", 24, 0,
        shards, shards.size(), List.of(), Map.of(), reshard, List.of());
  }

  /** {@code n} open shards in reverse order of their ranges, behind a closed parent. */
  private static List<StreamShard> shards(int n) {
    List<StreamShard> out = new ArrayList<>();
    out.add(new StreamShard("shardId-parent", "0", HashKeys.MAX.toString(), null, null, 0, 5,
        -1));
    List<HashKeys.Range> ranges = HashKeys.uniform(n);
    for (int i = n - 1; i >= 0; i--) {
      out.add(new StreamShard("shardId-" + i, ranges.get(i).start().toString(),
          ranges.get(i).end().toString(), "shardId-parent", null, 0, 0, 0));
    }
    return out;
  }

  private static StreamShard linear(StreamState s, BigInteger key) {
    return s.shards().stream().filter(x -> x.open() && x.range().contains(key)).findFirst()
        .orElseThrow();
  }

  @Property(tries = 200)
  void findsTheOpenShardThatOwnsTheKey(@ForAll @IntRange(min = 1, max = 64) int n,
      @ForAll long seed) {
    StreamState s = stream(shards(n), null);
    ShardRoutes routes = ShardRoutes.of(s);
    java.util.Random random = new java.util.Random(seed);
    List<BigInteger> keys = new ArrayList<>(List.of(BigInteger.ZERO, HashKeys.MAX));
    for (HashKeys.Range r : HashKeys.uniform(n)) {
      keys.add(r.start());
      keys.add(r.end());
    }
    for (int i = 0; i < 20; i++) {
      keys.add(new BigInteger(128, random));
    }
    for (BigInteger key : keys) {
      assertThat(routes.route(key)).isEqualTo(linear(s, key));
    }
  }

  @Test
  void aShardAReshardIsStillOpeningTakesNoRecords() {
    List<StreamShard> shards = shards(2);
    StreamState s = stream(shards, new StreamState.Reshard(List.of("shardId-parent"),
        List.of("shardId-0"), 0));
    ShardRoutes routes = ShardRoutes.of(s);
    assertThat(routes.route(HashKeys.MAX).shardId()).isEqualTo("shardId-1");
    assertThatThrownBy(() -> routes.route(BigInteger.ZERO))
        .hasMessageContaining("no open shard of stream");
    assertThat(routes.builtFrom(s)).isTrue();
    assertThat(routes.builtFrom(stream(shards, null))).as("another state: built again").isFalse();
  }
}
