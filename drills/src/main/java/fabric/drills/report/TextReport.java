package fabric.drills.report;

import fabric.drills.check.LostWrite;
import fabric.drills.check.Violation;
import fabric.drills.history.Durations;
import java.util.List;
import java.util.Locale;

/** The human summary printed at the end of a drill: verdict first, then the evidence. */
public final class TextReport {
  /** Long lists are cut here; the JSON report has them all. */
  static final int MAX_LISTED = 20;

  private TextReport() {}

  public static String render(DrillReport r) {
    StringBuilder b = new StringBuilder();
    b.append("drill ").append(r.drill()).append(": ").append(r.verdict())
        .append(" (").append(seconds(r.durationNanos())).append(" s)\n");
    OperationCounts ops = r.operations();
    b.append(String.format(Locale.ROOT, "operations: %d total, %d ok, %d fail, %d info%n",
        ops.total(), ops.ok(), ops.fail(), ops.info()));
    r.operationsByFunction().forEach((f, c) -> b.append(String.format(Locale.ROOT,
        "  %-10s %8d ok %8d fail %8d info%n", f, c.ok(), c.fail(), c.info())));

    b.append("faults: ").append(r.faults().isEmpty() ? "none" : r.faults().size()).append('\n');
    int labelWidth = r.faults().stream().mapToInt(f -> f.label().length()).max().orElse(1);
    for (FaultRecovery f : r.faults()) {
      b.append(String.format(Locale.ROOT, "  %-" + labelWidth
              + "s  start %9s s  end %9s s  recovery %s%n", f.label(), seconds(f.startNanos()),
          f.endNanos() == null ? "-" : seconds(f.endNanos()),
          f.recovered() ? ms(f.recoveryMs()) + " ms" : "NOT OBSERVED"));
    }
    RecoveryStats rs = r.recovery();
    if (rs.recovered() > 0) {
      b.append(String.format(Locale.ROOT, "recovery: p50 %s ms, p99 %s ms, max %s ms%s%n",
          ms(rs.p50Ms()), ms(rs.p99Ms()), ms(rs.maxMs()),
          rs.unrecovered() == 0 ? "" : " (" + rs.unrecovered() + " not recovered)"));
    }
    for (DrillReport.CheckSummary c : r.checks()) {
      b.append("check ").append(c.checker()).append(": ").append(c.verdict())
          .append(" (").append(c.keysChecked()).append(" keys)\n");
      if (!c.counts().isEmpty()) {
        b.append("  ").append(counts(c)).append('\n');
      }
    }
    list(b, "lost writes", r.lostWrites().stream().map(LostWrite::message).toList());
    list(b, "violations", r.violations().stream().map(Violation::message).toList());
    list(b, "inconclusive", r.inconclusive().stream()
        .map(i -> i.checker() + " " + i.key() + ": " + i.reason()).toList());
    b.append("verdict: ").append(r.verdict());
    if (!r.verdictReasons().isEmpty()) {
      b.append(" - ").append(String.join("; ", r.verdictReasons()));
    }
    return b.append('\n').toString();
  }

  private static void list(StringBuilder b, String title, List<String> items) {
    b.append(title).append(": ").append(items.size()).append('\n');
    for (int i = 0; i < Math.min(items.size(), MAX_LISTED); i++) {
      b.append("  ").append(items.get(i)).append('\n');
    }
    if (items.size() > MAX_LISTED) {
      b.append("  ... and ").append(items.size() - MAX_LISTED).append(" more\n");
    }
  }

  /** A check's counts on one line: {@code deliveries 120, redeliveries 3}. */
  static String counts(DrillReport.CheckSummary c) {
    StringBuilder b = new StringBuilder();
    c.counts().forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(' ')
        .append(v));
    return b.toString();
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.3f", Durations.toSeconds(nanos));
  }

  private static String ms(double ms) {
    return String.format(Locale.ROOT, "%.1f", ms);
  }
}
