package fabric.kinesis.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fabric.core.error.ServiceException;
import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** Sequence numbers: 56 digits, read back as record numbers, order as strings and numbers. */
class SequenceNumbersTest {
  @Property(tries = 500)
  void aSequenceNumberReadsBackAsItsRecordNumber(
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long recordNumber) {
    String text = SequenceNumbers.format(recordNumber);
    assertThat(text).hasSize(56).startsWith("49");
    assertThat(SequenceNumbers.parse(text, "startingSequenceNumber")).isEqualTo(recordNumber);
  }

  @Property(tries = 500)
  void stringOrderIsNumericOrderIsRecordOrder(
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long a,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long b) {
    String sa = SequenceNumbers.format(a);
    String sb = SequenceNumbers.format(b);
    assertThat(Integer.signum(sa.compareTo(sb))).isEqualTo(Long.signum(Long.compare(a, b)))
        .isEqualTo(new BigInteger(sa).compareTo(new BigInteger(sb)));
  }

  @Test
  void anythingButANumberThisServiceGaveIsRefused() {
    String good = SequenceNumbers.format(5);
    for (String bad : List.of("", "12", "59" + good.substring(2), good + "0",
        good.substring(0, 55) + "x", "49" + "9".repeat(54))) {
      assertThatThrownBy(() -> SequenceNumbers.parse(bad, "startingSequenceNumber"))
          .isInstanceOf(ServiceException.class).hasMessageContaining("startingSequenceNumber");
    }
  }
}
