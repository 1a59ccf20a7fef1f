package fabric.kinesis.stream;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.core.entity.Outcome;
import fabric.kinesis.model.HashKeys;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Uniform scaling reaches exactly the even ranges of the target through legal splits and
 *  merges (checked by the stream's own decide), within the step and open-shard bounds. */
class UniformScalingTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final int MAX_OPEN = 10_000;
  private static final StreamDefinition STREAMS = new StreamDefinition(MAX_OPEN);

  private static StreamState apply(StreamState s, Outcome<StreamEvent, StreamState> outcome) {
    if (outcome instanceof Outcome.Persist<StreamEvent, StreamState> p) {
      for (StreamEvent e : p.events()) {
        s = STREAMS.evolve(s, e);
      }
    }
    return s;
  }

  private static StreamState run(StreamState s, StreamCommand command) {
    return apply(s, STREAMS.decide(s, command));
  }

  private static StreamState active(int shards) {
    StreamState s = StreamState.empty("111122223333/us-east-1/s");
    s = run(s, new StreamCommand.Create("arn", "PROVISIONED", shards, Map.of(), T0, null));
    return run(s, new StreamCommand.Activate(T0, null));
  }

  private static List<StreamShard> open(StreamState s) {
    return s.shards().stream().filter(StreamShard::open).toList();
  }

  /** Scales as the service does, one whole reshard per step; returns the steps taken. */
  private static int scale(StreamState[] stream, int target) {
    int start = open(stream[0]).size();
    int steps = 0;
    for (UniformScaling.Step step = UniformScaling.next(open(stream[0]), target);
         step != null; step = UniformScaling.next(open(stream[0]), target)) {
      StreamState s = stream[0];
      s = run(s, step instanceof UniformScaling.Split split
          ? new StreamCommand.Split(split.shardId(), split.newStartingHashKey(), T0, null)
          : new StreamCommand.Merge(((UniformScaling.Merge) step).shardId(),
              ((UniformScaling.Merge) step).adjacentShardId(), T0, null));
      for (String parent : s.reshard().closing()) {
        s = run(s, new StreamCommand.ShardClosed(parent, -1, T0 + 1, null));
      }
      assertThat(s.status()).isEqualTo("ACTIVE");
      assertThat(open(s).size()).as("open shards while scaling")
          .isLessThanOrEqualTo(Math.max(start, target) + 1);
      stream[0] = s;
      steps++;
      assertThat(steps).isLessThanOrEqualTo(UniformScaling.maxSteps(start, target));
    }
    return steps;
  }

  private static void assertUniform(StreamState s, int target) {
    assertThat(open(s)).extracting(StreamShard::range)
        .containsExactlyInAnyOrderElementsOf(HashKeys.uniform(target));
  }

  @Test
  void fourToEightSplitsEachShardOnceAndEightToFiveEndsEven() {
    StreamState[] s = {active(4)};
    assertThat(scale(s, 8)).isEqualTo(4);
    assertUniform(s[0], 8);
    assertThat(open(s[0])).allSatisfy(x -> assertThat(x.adjacentParentShardId()).isNull());
    scale(s, 5);
    assertUniform(s[0], 5);
    assertThat(UniformScaling.next(open(s[0]), 5)).isNull();
  }

  @Test
  void halvingMergesPairs() {
    StreamState[] s = {active(6)};
    assertThat(scale(s, 3)).isEqualTo(3);
    assertUniform(s[0], 3);
    assertThat(open(s[0])).allSatisfy(x -> assertThat(x.adjacentParentShardId()).isNotNull());
  }

  @Property(tries = 60)
  void anyAllowedTargetIsReachedExactly(@ForAll @IntRange(min = 1, max = 24) int from,
      @ForAll @IntRange(min = 0, max = 1_000) int pick) {
    int low = (from + 1) / 2;
    int target = low + pick % (2 * from - low + 1);
    StreamState[] s = {active(from)};
    scale(s, target);
    assertUniform(s[0], target);
  }
}
