package fabric.kinesis.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fabric.core.error.ServiceException;
import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Partition keys hash as Kinesis hashes them; even ranges cover the key space. */
class HashKeysTest {
  @Test
  void aPartitionKeyHashesToItsMd5AsAnUnsignedInteger() {
    // MD5("a") = 0cc175b9c0f1b6a831c399e269772661
    assertThat(HashKeys.ofPartitionKey("a"))
        .isEqualTo(new BigInteger("16955237001963240173058271559858726497"));
    assertThat(HashKeys.ofPartitionKey("ключ")).isBetween(BigInteger.ZERO, HashKeys.MAX);
  }

  @Test
  void partitionKeysOfNoCharacterOrMoreThan256AreRefused() {
    assertThatThrownBy(() -> HashKeys.ofPartitionKey("")).isInstanceOf(ServiceException.class)
        .hasMessageContaining("partitionKey");
    HashKeys.checkPartitionKey("😀".repeat(256)); // characters, not UTF-16 units
    assertThatThrownBy(() -> HashKeys.checkPartitionKey("x".repeat(257)))
        .hasMessageContaining("between 1 and 256");
  }

  @Test
  void explicitHashKeysAreDecimalsUpTo2To128Minus1() {
    assertThat(HashKeys.parse("0", "explicitHashKey")).isZero();
    assertThat(HashKeys.parse(HashKeys.MAX.toString(), "explicitHashKey"))
        .isEqualTo(HashKeys.MAX);
    for (String bad : List.of("", "-1", "1e3", " 1", HashKeys.MAX.add(BigInteger.ONE)
        .toString())) {
      assertThatThrownBy(() -> HashKeys.parse(bad, "explicitHashKey"))
          .isInstanceOf(ServiceException.class).hasMessageContaining("explicitHashKey");
    }
  }

  @Test
  void fourShardsSplitTheSpaceAtQuarters() {
    List<HashKeys.Range> ranges = HashKeys.uniform(4);
    assertThat(ranges.get(1).start()).isEqualTo(BigInteger.ONE.shiftLeft(126));
    assertThat(ranges.get(3).end()).isEqualTo(HashKeys.MAX);
  }

  @Property(tries = 200)
  void evenRangesAreContiguousAndCoverEveryKey(@ForAll @IntRange(min = 1, max = 10_000)
      int shards) {
    List<HashKeys.Range> ranges = HashKeys.uniform(shards);
    assertThat(ranges).hasSize(shards);
    assertThat(ranges.get(0).start()).isZero();
    assertThat(ranges.get(shards - 1).end()).isEqualTo(HashKeys.MAX);
    for (int i = 1; i < shards; i++) {
      assertThat(ranges.get(i).start()).isEqualTo(ranges.get(i - 1).end().add(BigInteger.ONE));
    }
  }
}
