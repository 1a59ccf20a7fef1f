package fabric.drills.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TextReportTest {
  private final Drills drill = new Drills();

  @Test
  void theSummaryLeadsWithTheVerdictAndListsFaultsWithRecovery() {
    String text = TextReport.render(drill.report(Drills.intactFinalValues()));

    assertThat(text).startsWith("drill register-kill9: PASS (6.000 s)\n")
        .contains("operations: 7 total, 5 ok, 1 fail, 1 info")
        .contains("kill-9 @ node-2").contains("recovery 1600.0 ms")
        .contains("recovery: p50 700.0 ms, p99 1600.0 ms, max 1600.0 ms")
        .contains("check linearizability: OK (2 keys)")
        .contains("lost writes: 0")
        .endsWith("verdict: PASS\n");
  }

  @Test
  void aFailedDrillSaysWhyAndListsTheLostWrites() {
    String text = TextReport.render(drill.report(Map.of("k1", "v4", "k2", "v1")));

    assertThat(text).startsWith("drill register-kill9: FAIL")
        .contains("lost writes: 1\n  key k1: acknowledged write of \"v5\" is lost")
        .endsWith("verdict: FAIL - 1 acknowledged write(s) lost\n");
  }
}
