package fabric.drills.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Bad drill arguments end with exit code 2 and a message that says what is wrong. */
class DrillCommandTest {
  @TempDir
  Path dir;

  @Test
  void anUnknownDrillIsRefused() {
    assertThat(run("teleport", "--data-dir", dir.toString())).isEqualTo(2);
    assertThat(stderr).contains("unknown drill 'teleport'").contains("kill, pause, az-down, az-destroyed, partition-az");
  }

  @Test
  void aDataDirWithoutARunningFabricIsRefused() {
    assertThat(run("kill", "--data-dir", dir.toString())).isEqualTo(2);
    assertThat(stderr).contains("fabric-up.json").contains("./fabric up --processes");
  }

  @Test
  void outOfRangeNumbersAreRefused() throws Exception {
    Files.writeString(dir.resolve("fabric-up.json"), "{\"nodes\":[]}");
    assertThat(run("kill", "--data-dir", dir.toString(), "--duration", "5")).isEqualTo(2);
    assertThat(stderr).contains("--duration");
    assertThat(run("pause", "--data-dir", dir.toString(), "--pause", "0")).isEqualTo(2);
    assertThat(stderr).contains("--pause");
    assertThat(run("kill", "--data-dir", dir.toString(), "--clients", "0")).isEqualTo(2);
    assertThat(stderr).contains("--clients");
    assertThat(run("lossy", "--data-dir", dir.toString(), "--loss", "100")).isEqualTo(2);
    assertThat(stderr).contains("--loss");
    assertThat(run("partition-az", "--data-dir", dir.toString(), "--hold", "0")).isEqualTo(2);
    assertThat(stderr).contains("--hold");
    assertThat(run("slow-link", "--data-dir", dir.toString(), "--delay-ms", "0")).isEqualTo(2);
    assertThat(stderr).contains("--delay-ms must be 1..60000");
    assertThat(run("kill", "--data-dir", dir.toString(), "--workload", "kafka")).isEqualTo(2);
    assertThat(stderr).contains("--workload must be s3, sqs, dynamodb or kinesis");
    assertThat(run("kill", "--data-dir", dir.toString(), "--workload", "sqs", "--groups", "0"))
        .isEqualTo(2);
    assertThat(stderr).contains("--groups must be 1..1000");
  }

  @Test
  void aFabricThatCannotTakeTheFaultIsRefusedBeforeAnyWorkload() throws Exception {
    Files.writeString(dir.resolve("fabric-up.json"), "{\"nodes\":[{\"id\":\"node-1\"}]}");
    assertThat(run("partition-pair", "--data-dir", dir.toString())).isEqualTo(2);
    assertThat(stderr).contains("without per-process cgroups");
    assertThat(run("clock-skew", "--data-dir", dir.toString())).isEqualTo(2);
    assertThat(stderr).contains("--clock-control");
    assertThat(run("slow-link", "--data-dir", dir.toString())).isEqualTo(2);
    assertThat(stderr).contains("--link-control");
    assertThat(run("disk-full", "--data-dir", dir.toString())).isEqualTo(2);
    assertThat(stderr).contains("--cassandra-disk-mib");
  }

  private String stderr = "";

  private int run(String... args) {
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      return new CommandLine(new DrillCommand()).execute(args);
    } finally {
      System.setErr(original);
      stderr = err.toString(StandardCharsets.UTF_8);
    }
  }
}
