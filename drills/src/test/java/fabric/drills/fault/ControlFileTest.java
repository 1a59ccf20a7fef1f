package fabric.drills.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlFileTest {
  @TempDir
  Path dir;

  @Test
  void aValueIsWrittenAsALineAndTheNormalOneIsBackAfterTheHold() throws Exception {
    Path file = dir.resolve("link-delay-node-1");
    ControlFile.write(file, "500");
    assertThat(Files.readString(file)).isEqualTo("500\n");
    ControlFile.hold(file, "700", "0", Duration.ofMillis(50));
    assertThat(Files.readString(file)).isEqualTo("0\n");
  }

  @Test
  void anInterruptedHoldStillSetsTheNormalValueBack() throws Exception {
    Path file = dir.resolve("clock");
    Thread.currentThread().interrupt(); // what Ctrl-C does to the drill's thread
    assertThatThrownBy(() -> ControlFile.hold(file, "+3600", "+0", Duration.ofSeconds(30)))
        .isInstanceOf(InterruptedException.class);
    assertThat(Files.readString(file)).isEqualTo("+0\n");
  }
}
