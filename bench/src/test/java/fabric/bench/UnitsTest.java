package fabric.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnitsTest {

  @Test
  void binarySuffixesArePowersOf1024() {
    assertThat(Units.parseSize("4KiB")).isEqualTo(4096);
    assertThat(Units.parseSize("8MiB")).isEqualTo(8L * 1024 * 1024);
    assertThat(Units.parseSize("1GiB")).isEqualTo(1L << 30);
  }

  @Test
  void decimalSuffixesArePowersOf1000() {
    assertThat(Units.parseSize("4KB")).isEqualTo(4000);
    assertThat(Units.parseSize("2MB")).isEqualTo(2_000_000);
  }

  @Test
  void plainNumbersAndBAreBytesAndCaseAndSpacesDoNotMatter() {
    assertThat(Units.parseSize("1000")).isEqualTo(1000);
    assertThat(Units.parseSize("12B")).isEqualTo(12);
    assertThat(Units.parseSize(" 4 kib ")).isEqualTo(4096);
  }

  @Test
  void ambiguousOrUnknownSizesAreRejectedWithTheOffendingText() {
    assertThatThrownBy(() -> Units.parseSize("4k")).hasMessageContaining("'k'");
    assertThatThrownBy(() -> Units.parseSize("4TiB")).hasMessageContaining("tib");
    assertThatThrownBy(() -> Units.parseSize("big")).hasMessageContaining("'big'");
    assertThatThrownBy(() -> Units.parseSize("-1KiB")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sizesPrintInTheLargestExactBinaryUnit() {
    assertThat(Units.formatSize(4096)).isEqualTo("4KiB");
    assertThat(Units.formatSize(8L << 20)).isEqualTo("8MiB");
    assertThat(Units.formatSize(2500L * 1024)).isEqualTo("2500KiB");
    assertThat(Units.formatSize(1000)).isEqualTo("1000B");
    assertThat(Units.formatSize(0)).isEqualTo("0B");
  }

  @Test
  void formattedSizesParseBackToTheSameNumber() {
    for (long n : new long[] {0, 1, 1000, 4096, 2500L * 1024, 8L << 20, 3L << 30}) {
      assertThat(Units.parseSize(Units.formatSize(n))).isEqualTo(n);
    }
  }

  @Test
  void durationsAcceptShortSuffixesFractionsAndIso() {
    assertThat(Units.parseDuration("15s")).isEqualTo(Duration.ofSeconds(15));
    assertThat(Units.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Units.parseDuration("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Units.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Units.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Units.parseDuration("PT3S")).isEqualTo(Duration.ofSeconds(3));
    assertThat(Units.parseDuration("0")).isEqualTo(Duration.ZERO);
    assertThat(Units.parseDuration("0s")).isEqualTo(Duration.ZERO);
  }

  @Test
  void durationsWithoutAUnitOrWithAnUnknownOneAreRejected() {
    assertThatThrownBy(() -> Units.parseDuration("15")).hasMessageContaining("'15'");
    assertThatThrownBy(() -> Units.parseDuration("3d")).hasMessageContaining("'3d'");
    assertThatThrownBy(() -> Units.parseDuration("PTx")).hasMessageContaining("'PTx'");
  }
}
