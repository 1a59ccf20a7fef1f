package fabric.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import fabric.node.launcher.LaunchPlan;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * `./fabric up` refuses bad combinations with exit code 2 and a message naming the option,
 * before it starts anything.
 */
class UpCommandArgumentsTest {

  private record Result(int code, String err) {}

  private static Result up(String... args) {
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = new CommandLine(new UpCommand()).execute(args);
      return new Result(code, err.toString(StandardCharsets.UTF_8).strip());
    } finally {
      System.setErr(original);
    }
  }

  @Test
  void processesNeedTheCassandraJournal() {
    assertThat(up("--processes", "3")).isEqualTo(new Result(2, "fabric up: --processes needs "
        + "--journal cassandra: node processes cannot share the embedded journal's H2 files"));
    assertThat(up("--processes", "3", "--journal", "embedded").code()).isEqualTo(2);
  }

  @Test
  void processCountsAndPortsAreChecked() {
    assertThat(up("--processes", "0", "--journal", "cassandra"))
        .isEqualTo(new Result(2, "fabric up: --processes must be at least 1, got 0"));
    assertThat(up("--processes", "3", "--journal", "cassandra", "--grpc-port", "8557").err())
        .contains("--grpc-port (8557..8559) and --management-port (8558..8560) overlap");
    assertThat(up("--processes", "2", "--journal", "cassandra", "--node-heap", "big").err())
        .contains("--node-heap must be a JVM heap size");
    assertThat(up("--processes", "2", "--journal", "cassandra", "--azs", "us-east-1a,eu-west-1b"))
        .isEqualTo(new Result(2, "fabric up: all AZs must be in one region: 'eu-west-1b' is "
            + "not in us-east-1"));
  }

  @Test
  void optionsOfTheOtherModeAreRefused() {
    for (String option : new String[] {"--restart", "--node-heap", "--cassandra-port"}) {
      String value = option.equals("--restart") ? "never"
          : option.equals("--node-heap") ? "1g" : "9043";
      assertThat(up(option, value))
          .isEqualTo(new Result(2, "fabric up: " + option + " needs --processes N"));
    }
    assertThat(up("--detach")).isEqualTo(new Result(2, "fabric up: --detach needs --processes N"));
    assertThat(up("--processes", "3", "--journal", "cassandra", "--cassandra", "10.0.0.1:9042"))
        .isEqualTo(new Result(2, "fabric up: --cassandra does not apply with --processes: the "
            + "fabric starts its own Cassandra, one node per AZ (see --cassandra-port)"));
    assertThat(up("--processes", "3", "--journal", "cassandra", "--restart", "sometimes").err())
        .isEqualTo("fabric up: --restart must be always or never, got 'sometimes'");
  }

  /** --detach starts the supervisor with the plan's arguments: they must give the same plan. */
  @Test
  void aPlanSurvivesTheTripThroughItsArguments() {
    UpCommand first = new UpCommand();
    new CommandLine(first).parseArgs("--processes", "6", "--journal", "cassandra",
        "--data-dir", "some/dir", "--azs", "eu-west-1a,eu-west-1b", "--grpc-port", "6000",
        "--management-port", "7000", "--remoting-port", "8000", "--node-heap", "384m",
        "--restart", "never", "--cassandra-port", "19042", "--cassandra-storage-port", "17000",
        "--cassandra-disk-mib", "300", "--link-control");
    LaunchPlan plan = first.plan(Azs.parse(first.azs));
    assertThat(plan.dataDir()).isEqualTo(Path.of("some/dir").toAbsolutePath());

    UpCommand second = new UpCommand();
    new CommandLine(second).parseArgs(plan.toArgs().subList(1, plan.toArgs().size())
        .toArray(String[]::new));
    assertThat(second.plan(Azs.parse(second.azs))).isEqualTo(plan);
  }
}
