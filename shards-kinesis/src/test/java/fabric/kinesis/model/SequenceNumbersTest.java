package fabric.kinesis.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fabric.core.error.ServiceException;
import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** Sequence numbers: 56 digits, say where the record is, order as strings and numbers. */
class SequenceNumbersTest {
  @Property(tries = 500)
  void aSequenceNumberReadsBackAsItsPosition(
      @ForAll @LongRange(min = 0, max = (1L << 47) - 1) long journalSeqNr,
      @ForAll @IntRange(min = 0, max = SequenceNumbers.MAX_RECORDS_PER_EVENT - 1) int index) {
    var position = new SequenceNumbers.Position(journalSeqNr, index);
    String text = SequenceNumbers.format(position);
    assertThat(text).hasSize(56).startsWith("49");
    assertThat(SequenceNumbers.parse(text, "startingSequenceNumber")).isEqualTo(position);
  }

  @Property(tries = 500)
  void stringOrderIsNumericOrderIsPositionOrder(
      @ForAll @LongRange(min = 0, max = 1L << 40) long a, @ForAll @IntRange(max = 999) int i,
      @ForAll @LongRange(min = 0, max = 1L << 40) long b, @ForAll @IntRange(max = 999) int j) {
    var p = new SequenceNumbers.Position(a, i);
    var q = new SequenceNumbers.Position(b, j);
    String sp = SequenceNumbers.format(p);
    String sq = SequenceNumbers.format(q);
    assertThat(Integer.signum(sp.compareTo(sq))).isEqualTo(Integer.signum(p.compareTo(q)))
        .isEqualTo(new BigInteger(sp).compareTo(new BigInteger(sq)));
  }

  @Test
  void theNextPositionAfterAnEventsLastRecordIsTheNextEvent() {
    assertThat(new SequenceNumbers.Position(7, 3).next())
        .isEqualTo(new SequenceNumbers.Position(7, 4));
    assertThat(new SequenceNumbers.Position(7, SequenceNumbers.MAX_RECORDS_PER_EVENT - 1)
        .next()).isEqualTo(new SequenceNumbers.Position(8, 0));
  }

  @Test
  void anythingButANumberThisServiceGaveIsRefused() {
    String good = SequenceNumbers.format(new SequenceNumbers.Position(5, 0));
    for (String bad : List.of("", "12", good.replace('4', '5'), good + "0", good
        .substring(0, 55) + "x", "49" + "9".repeat(54))) {
      assertThatThrownBy(() -> SequenceNumbers.parse(bad, "startingSequenceNumber"))
          .isInstanceOf(ServiceException.class).hasMessageContaining("startingSequenceNumber");
    }
  }
}
