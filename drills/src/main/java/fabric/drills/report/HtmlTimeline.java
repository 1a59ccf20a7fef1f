package fabric.drills.report;

import fabric.drills.check.LostWrite;
import fabric.drills.check.Violation;
import fabric.drills.history.History;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One self-contained HTML page per drill: an inline SVG chart of OK, FAIL and INFO completions
 * per second, with each fault as a shaded, labelled time band and a dashed line where the system
 * recovered; then the fault table and the findings. No scripts and no external resources: the
 * file must open on a machine without internet, years later.
 */
public final class HtmlTimeline {
  static final String OK_COLOR = "#2a9d8f";
  static final String FAIL_COLOR = "#e63946";
  static final String INFO_COLOR = "#e9a100";
  static final String FAULT_COLOR = "#8d99ae";
  static final String RECOVERY_COLOR = "#264653";
  private static final int WIDTH = 1000;
  private static final int HEIGHT = 440;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 40;
  private static final int BOTTOM = 50;
  private static final int LABEL_ROWS = 3;

  private HtmlTimeline() {}

  public static void write(DrillReport report, History history, Path file) {
    try {
      Files.writeString(file, render(report, history), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write timeline to " + file, e);
    }
  }

  public static String render(DrillReport report, History history) {
    Throughput t = Throughput.of(history.calls(), report.durationNanos());
    StringBuilder b = new StringBuilder(16_384);
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>drill ").append(esc(report.drill())).append("</title>\n")
        .append("<style>body{font-family:sans-serif;margin:1.5em;color:#222}")
        .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;")
        .append("text-align:left}.PASS{color:#1b7a3d}.FAIL{color:#c1121f}")
        .append("svg text{font-size:12px}</style>\n</head>\n<body>\n");
    b.append("<h1>drill ").append(esc(report.drill())).append(": <span class=\"")
        .append(report.verdict()).append("\">").append(report.verdict()).append("</span></h1>\n");
    OperationCounts ops = report.operations();
    b.append(String.format(Locale.ROOT,
        "<p>%.1f s, %d operations: %d ok, %d fail, %d info.%s</p>%n",
        report.durationNanos() / 1e9, ops.total(), ops.ok(), ops.fail(), ops.info(),
        report.verdictReasons().isEmpty() ? ""
            : " " + esc(String.join("; ", report.verdictReasons())) + "."));
    new Chart(b, t, report.faults()).draw();
    faultTable(b, report.faults());
    operationTable(b, report.operationsByFunction());
    checkTable(b, report.checks());
    findings(b, "Lost writes", report.lostWrites().stream().map(LostWrite::message).toList());
    findings(b, "Violations", report.violations().stream().map(Violation::message).toList());
    return b.append("</body>\n</html>\n").toString();
  }

  private static void faultTable(StringBuilder b, List<FaultRecovery> faults) {
    if (faults.isEmpty()) {
      b.append("<p>No faults injected.</p>\n");
      return;
    }
    b.append("<table>\n<tr><th>fault</th><th>target</th><th>start (s)</th><th>end (s)</th>")
        .append("<th>recovery (ms)</th></tr>\n");
    for (FaultRecovery f : faults) {
      b.append("<tr><td>").append(esc(f.name())).append("</td><td>").append(esc(f.target()))
          .append("</td><td>").append(secs(f.startNanos())).append("</td><td>")
          .append(f.endNanos() == null ? "-" : secs(f.endNanos())).append("</td><td>")
          .append(f.recovered() ? fmt(f.recoveryMs()) : "not observed").append("</td></tr>\n");
    }
    b.append("</table>\n");
  }

  /** ok / fail / unknown per function (read, write, cas; send, receive, delete). */
  private static void operationTable(StringBuilder b, Map<String, OperationCounts> byF) {
    if (byF.isEmpty()) {
      return;
    }
    b.append("<h2>Operations</h2>\n<table>\n<tr><th>function</th><th>ok</th><th>fail</th>")
        .append("<th>unknown</th></tr>\n");
    byF.forEach((f, c) -> b.append("<tr><td>").append(esc(f)).append("</td><td>")
        .append(c.ok()).append("</td><td>").append(c.fail()).append("</td><td>")
        .append(c.info()).append("</td></tr>\n"));
    b.append("</table>\n");
  }

  /** Each checker's verdict, and what it counted (e.g. a queue's redeliveries). */
  private static void checkTable(StringBuilder b, List<DrillReport.CheckSummary> checks) {
    if (checks.isEmpty()) {
      return;
    }
    b.append("<h2>Checks</h2>\n<table>\n<tr><th>check</th><th>verdict</th><th>keys</th>")
        .append("<th>counts</th></tr>\n");
    for (DrillReport.CheckSummary c : checks) {
      b.append("<tr><td>").append(esc(c.checker())).append("</td><td>").append(c.verdict())
          .append("</td><td>").append(c.keysChecked()).append("</td><td>")
          .append(esc(TextReport.counts(c))).append("</td></tr>\n");
    }
    b.append("</table>\n");
  }

  private static void findings(StringBuilder b, String title, List<String> items) {
    if (items.isEmpty()) {
      return;
    }
    b.append("<h2>").append(title).append(" (").append(items.size()).append(")</h2>\n<ul>\n");
    for (int i = 0; i < Math.min(items.size(), TextReport.MAX_LISTED); i++) {
      b.append("<li>").append(esc(items.get(i))).append("</li>\n");
    }
    if (items.size() > TextReport.MAX_LISTED) {
      b.append("<li>... and ").append(items.size() - TextReport.MAX_LISTED)
          .append(" more (see the JSON report)</li>\n");
    }
    b.append("</ul>\n");
  }

  /** The SVG: plot area, fault bands, series, axes, legend - in painting order. */
  private static final class Chart {
    private final StringBuilder b;
    private final Throughput t;
    private final List<FaultRecovery> faults;
    private final double xMaxSeconds;
    private final double yMax;
    private final double plotWidth = WIDTH - LEFT - RIGHT;
    private final double plotHeight = HEIGHT - TOP - BOTTOM;

    Chart(StringBuilder b, Throughput t, List<FaultRecovery> faults) {
      this.b = b;
      this.t = t;
      this.faults = faults;
      this.xMaxSeconds = t.buckets() * (double) t.bucketNanos / Throughput.SECOND;
      // 10% headroom: a steady rate must not run along the frame, where it cannot be seen.
      double top = Math.max(1, t.maxRate() * 1.1);
      double yStep = niceStep(top / 5);
      this.yMax = Math.ceil(top / yStep) * yStep;
    }

    void draw() {
      b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH)
          .append("\" height=\"").append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH)
          .append(' ').append(HEIGHT).append("\" role=\"img\">\n")
          .append("<title>operations per second over time, with faults</title>\n");
      faultBands();
      series("ok", t.ok, OK_COLOR);
      series("fail", t.fail, FAIL_COLOR);
      series("info", t.info, INFO_COLOR);
      axes();
      legend();
      b.append("</svg>\n");
    }

    private void faultBands() {
      for (int i = 0; i < faults.size(); i++) {
        FaultRecovery f = faults.get(i);
        double x1 = x(f.startNanos());
        double x2 = x(f.endNanos() == null ? (long) (xMaxSeconds * Throughput.SECOND)
            : f.endNanos());
        // An instantaneous fault (kill -9) still gets a visible sliver.
        double w = Math.max(2, x2 - x1);
        b.append("<g class=\"fault\"><title>").append(esc(f.label())).append(": ")
            .append(secs(f.startNanos())).append(" s to ")
            .append(f.endNanos() == null ? "end of run" : secs(f.endNanos()) + " s")
            .append(", recovery ")
            .append(f.recovered() ? fmt(f.recoveryMs()) + " ms" : "not observed")
            .append("</title>\n");
        b.append(String.format(Locale.ROOT,
            "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" "
                + "fill-opacity=\"0.25\"/>%n", x1, TOP, w, plotHeight, FAULT_COLOR));
        // Staggered rows (label, then its recovery), so that faults close in time do not print
        // over each other.
        double labelY = TOP + 14 + 28 * (i % LABEL_ROWS);
        b.append(String.format(Locale.ROOT,
            "<text x=\"%.1f\" y=\"%.1f\" fill=\"#333\" stroke=\"#fff\" stroke-width=\"3\" "
                + "paint-order=\"stroke\">%s</text>%n", x1 + 3, labelY, esc(f.label())));
        if (f.recovered()) {
          double xr = x(f.recoveredAtNanos());
          b.append(String.format(Locale.ROOT,
              "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                  + "stroke-dasharray=\"4 3\"/>%n", xr, TOP, xr, TOP + plotHeight,
              RECOVERY_COLOR));
          b.append(String.format(Locale.ROOT,
              "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\" stroke=\"#fff\" stroke-width=\"3\" "
                  + "paint-order=\"stroke\">recovered +%s ms</text>%n", xr + 3, labelY + 14,
              RECOVERY_COLOR, fmt(f.recoveryMs())));
        }
        b.append("</g>\n");
      }
    }

    /** A step line: each bucket's rate held flat across the bucket. */
    private void series(String name, long[] counts, String color) {
      StringBuilder points = new StringBuilder();
      for (int i = 0; i < counts.length; i++) {
        double y = y(t.perSecond(counts[i]));
        points.append(String.format(Locale.ROOT, "%.1f,%.1f %.1f,%.1f ",
            x(i * t.bucketNanos), y, x((i + 1) * t.bucketNanos), y));
      }
      b.append("<polyline class=\"").append(name).append("\" fill=\"none\" stroke=\"")
          .append(color).append("\" stroke-width=\"1.5\" points=\"")
          .append(points.toString().trim()).append("\"/>\n");
    }

    private void axes() {
      double bottom = TOP + plotHeight;
      b.append(String.format(Locale.ROOT, "<g stroke=\"#444\"><line x1=\"%d\" y1=\"%.1f\" "
          + "x2=\"%.1f\" y2=\"%.1f\"/><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%.1f\"/></g>%n",
          LEFT, bottom, LEFT + plotWidth, bottom, LEFT, TOP, LEFT, bottom));
      double xStep = niceStep(xMaxSeconds / 10);
      // Integer counters: summing a step like 0.1 drifts and can drop the last tick.
      for (int i = 0; i * xStep <= xMaxSeconds + 1e-9; i++) {
        double s = i * xStep;
        double x = x((long) (s * Throughput.SECOND));
        b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
            + "y2=\"%.1f\" stroke=\"#444\"/><text x=\"%.1f\" y=\"%.1f\" "
            + "text-anchor=\"middle\">%s</text>%n", x, bottom, x, bottom + 5, x, bottom + 18,
            tick(s)));
      }
      double yStep = niceStep(yMax / 5);
      for (int i = 0; i * yStep <= yMax + 1e-9; i++) {
        double v = i * yStep;
        double y = y(v);
        b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" "
            + "y2=\"%.1f\" stroke=\"#ddd\"/><text x=\"%d\" y=\"%.1f\" "
            + "text-anchor=\"end\">%s</text>%n", LEFT, y, LEFT + plotWidth, y, LEFT - 6, y + 4,
            tick(v)));
      }
      b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">"
          + "time since start (s)</text>%n", LEFT + plotWidth / 2, HEIGHT - 10));
      b.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%.1f\" text-anchor=\"middle\" "
          + "transform=\"rotate(-90 16 %.1f)\">operations per second</text>%n",
          TOP + plotHeight / 2, TOP + plotHeight / 2));
    }

    private void legend() {
      String[][] entries = {{"ok", OK_COLOR}, {"fail", FAIL_COLOR}, {"info (unknown)",
          INFO_COLOR}, {"fault", FAULT_COLOR}, {"recovered", RECOVERY_COLOR}};
      double x = LEFT;
      for (String[] e : entries) {
        b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"14\" width=\"14\" "
            + "height=\"10\" fill=\"%s\"/><text x=\"%.1f\" y=\"23\">%s</text>%n",
            x, e[1], x + 18, e[0]));
        x += 30 + 7 * e[0].length();
      }
    }

    private double x(long nanos) {
      return LEFT + plotWidth * (nanos / 1e9) / xMaxSeconds;
    }

    private double y(double rate) {
      return TOP + plotHeight - plotHeight * rate / yMax;
    }
  }

  /** 1, 2 or 5 times a power of ten, at least {@code raw}: tick steps people can read. */
  static double niceStep(double raw) {
    if (raw <= 0) {
      return 1;
    }
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    double f = raw / magnitude;
    double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
    return nice * magnitude;
  }

  private static String tick(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : fmt(v);
  }

  private static String secs(long nanos) {
    return String.format(Locale.ROOT, "%.3f", nanos / 1e9);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  /** Escapes text for HTML and SVG content and attributes. */
  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
