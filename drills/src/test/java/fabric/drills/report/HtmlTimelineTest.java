package fabric.drills.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlTimelineTest {
  private final Drills drill = new Drills();

  private String render() {
    return HtmlTimeline.render(drill.report(Drills.intactFinalValues()), drill.t.history);
  }

  @Test
  void thePageHasAnInlineSvgChartWithAxesAndSeries() {
    String html = render();

    assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg ").contains("</svg>")
        .contains("time since start (s)").contains("operations per second")
        .contains("<polyline class=\"ok\"").contains("<polyline class=\"fail\"")
        .contains("<polyline class=\"info\"").endsWith("</html>\n");
  }

  @Test
  void faultsAreShadedBandsLabelledWithNameAndTargetEscaped() {
    String html = render();

    assertThat(html).contains("kill-9 @ node-2")
        .contains("partition @ us-east-1a|&lt;us-east-1b&gt;")
        .doesNotContain("<us-east-1b>")
        .contains("fill-opacity=\"0.25\"");
  }

  @Test
  void thePageLoadsNothingFromOutside() {
    String html = render();

    assertThat(html).doesNotContain("<script").doesNotContain("src=")
        .doesNotContain("href=").doesNotContain("@import");
  }

  @Test
  void throughputIsBucketedPerSecondOfCompletion() {
    Throughput t = Throughput.of(drill.t.history.calls(), drill.report(Map.of()).durationNanos());

    assertThat(t.buckets()).isEqualTo(6);
    assertThat(t.ok).containsExactly(2, 0, 1, 0, 2, 0);
    assertThat(t.fail).containsExactly(0, 1, 0, 0, 0, 0);
    // The timeout completed at exactly 6 s, the end of the run: the last bucket takes it.
    assertThat(t.info).containsExactly(0, 0, 0, 0, 0, 1);
    assertThat(t.maxRate()).isEqualTo(2.0);
  }

  @Test
  void theTimelineIsWrittenToAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("timeline.html");

    HtmlTimeline.write(drill.report(Drills.intactFinalValues()), drill.t.history, file);

    assertThat(Files.readString(file)).isEqualTo(render());
  }

  @Test
  void tickStepsAreOneTwoOrFiveTimesAPowerOfTen() {
    assertThat(HtmlTimeline.niceStep(0.7)).isEqualTo(1.0);
    assertThat(HtmlTimeline.niceStep(1.3)).isEqualTo(2.0);
    assertThat(HtmlTimeline.niceStep(37)).isEqualTo(50.0);
    assertThat(HtmlTimeline.niceStep(60)).isEqualTo(100.0);
  }
}
