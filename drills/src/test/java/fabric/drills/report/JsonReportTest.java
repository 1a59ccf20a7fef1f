package fabric.drills.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonReportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Drills drill = new Drills();

  @Test
  void theReportHasTheTopLevelFieldsScriptsRelyOn() throws Exception {
    JsonNode root = JSON.readTree(JsonReport.render(drill.report(Drills.intactFinalValues())));

    assertThat(root.get("drill").asText()).isEqualTo("register-kill9");
    assertThat(root.get("verdict").asText()).isEqualTo("PASS");
    assertThat(root.get("duration_ms").asDouble()).isEqualTo(6000.0);
    JsonNode ops = root.get("operations");
    assertThat(ops.get("total").asLong()).isEqualTo(7);
    assertThat(ops.get("ok").asLong()).isEqualTo(5);
    assertThat(ops.get("fail").asLong()).isEqualTo(1);
    assertThat(ops.get("info").asLong()).isEqualTo(1);
    assertThat(root.get("operations_by_function").get("write").get("ok").asLong()).isEqualTo(4);
    assertThat(root.get("lost_writes").isArray()).isTrue();
    assertThat(root.get("lost_writes")).isEmpty();
    assertThat(root.get("violations").isArray()).isTrue();
    assertThat(root.get("inconclusive")).isEmpty();
    assertThat(root.get("checks").get(0).get("checker").asText()).isEqualTo("linearizability");
  }

  @Test
  void everyFaultHasItsRecoveryInMilliseconds() throws Exception {
    JsonNode root = JSON.readTree(JsonReport.render(drill.report(Drills.intactFinalValues())));

    JsonNode kill = root.get("faults").get(0);
    assertThat(kill.get("name").asText()).isEqualTo("kill-9");
    assertThat(kill.get("target").asText()).isEqualTo("node-2");
    assertThat(kill.get("start_ms").asDouble()).isEqualTo(1000.0);
    assertThat(kill.get("end_ms").asDouble()).isEqualTo(2000.0);
    assertThat(kill.get("recovery_ms").asDouble()).isEqualTo(1600.0);
    assertThat(root.get("faults").get(1).get("recovery_ms").asDouble()).isEqualTo(700.0);
    JsonNode recovery = root.get("recovery_ms");
    assertThat(recovery.get("p50").asDouble()).isEqualTo(700.0);
    assertThat(recovery.get("p99").asDouble()).isEqualTo(1600.0);
    assertThat(recovery.get("unrecovered").asInt()).isZero();
  }

  @Test
  void lostWritesAndTheVerdictReasonsAreListed() throws Exception {
    JsonNode root = JSON.readTree(JsonReport.render(drill.report(Map.of("k1", "v4", "k2", "v1"))));

    assertThat(root.get("verdict").asText()).isEqualTo("FAIL");
    assertThat(root.get("verdict_reasons").get(0).asText()).contains("lost");
    JsonNode lost = root.get("lost_writes").get(0);
    assertThat(lost.get("key").asText()).isEqualTo("k1");
    assertThat(lost.get("value").asText()).isEqualTo("v5");
    assertThat(lost.get("process").asInt()).isEqualTo(3);
    assertThat(lost.get("invoke_ms").asDouble()).isEqualTo(4600.0);
    assertThat(lost.get("ack_ms").asDouble()).isEqualTo(4700.0);
    assertThat(lost.get("message").asText()).contains("v5");
  }

  @Test
  void anUnrecoveredFaultHasANullRecovery(@TempDir Path dir) throws Exception {
    TimedHistory t = new TimedHistory();
    t.at(100).fault("kill-9", "node-1");
    DrillReport report = DrillReport.of("d", t.history, List.of(),
        RecoveryCalculator.standard());
    Path file = dir.resolve("report.json");

    JsonReport.write(report, file);
    JsonNode root = JSON.readTree(Files.readString(file));

    assertThat(root.get("faults").get(0).get("recovery_ms").isNull()).isTrue();
    assertThat(root.get("faults").get(0).get("end_ms").isNull()).isTrue();
    assertThat(root.get("recovery_ms").get("p50").isNull()).isTrue();
    assertThat(root.get("recovery_ms").get("unrecovered").asInt()).isEqualTo(1);
  }
}
