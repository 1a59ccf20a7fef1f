package fabric.drills.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fabric.drills.check.DynamoViolation;
import fabric.drills.check.KinesisViolation;
import fabric.drills.check.Inconclusive;
import fabric.drills.check.LostWrite;
import fabric.drills.check.NonLinearizable;
import fabric.drills.check.QueueViolation;
import fabric.drills.check.Violation;
import fabric.drills.history.Durations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A drill report as JSON for CI and scripts: snake_case fields, times in milliseconds since the
 * run started. Top level: {@code drill, verdict, verdict_reasons, duration_ms, operations,
 * operations_by_function, faults[] (name, target, start_ms, end_ms, recovery_ms), recovery_ms
 * (p50, p99, max, recovered, unrecovered), checks[] (checker, verdict, keys_checked, counts),
 * lost_writes (acknowledged writes or queue sends lost), violations, inconclusive}.
 *
 * <p>Built as an explicit tree rather than by reflection over the records, so that renaming a
 * Java accessor can never silently change the format scripts depend on.
 */
public final class JsonReport {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  private JsonReport() {}

  public static String render(DrillReport r) {
    try {
      return MAPPER.writeValueAsString(tree(r)) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void write(DrillReport r, Path file) {
    try {
      Files.writeString(file, render(r), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write report to " + file, e);
    }
  }

  static ObjectNode tree(DrillReport r) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("drill", r.drill());
    root.put("verdict", r.verdict().name());
    ArrayNode reasons = root.putArray("verdict_reasons");
    r.verdictReasons().forEach(reasons::add);
    root.put("duration_ms", Durations.toMs(r.durationNanos()));
    root.set("operations", counts(r.operations()));
    ObjectNode byF = root.putObject("operations_by_function");
    r.operationsByFunction().forEach((f, c) -> byF.set(f, counts(c)));

    ArrayNode faults = root.putArray("faults");
    for (FaultRecovery f : r.faults()) {
      ObjectNode n = faults.addObject();
      n.put("name", f.name());
      n.put("target", f.target());
      n.put("start_ms", Durations.toMs(f.startNanos()));
      putMs(n, "end_ms", f.endNanos());
      n.put("recovery_ms", f.recoveryMs());
    }
    ObjectNode recovery = root.putObject("recovery_ms");
    recovery.put("p50", r.recovery().p50Ms());
    recovery.put("p99", r.recovery().p99Ms());
    recovery.put("max", r.recovery().maxMs());
    recovery.put("recovered", r.recovery().recovered());
    recovery.put("unrecovered", r.recovery().unrecovered());

    ArrayNode checks = root.putArray("checks");
    for (DrillReport.CheckSummary c : r.checks()) {
      ObjectNode n = checks.addObject();
      n.put("checker", c.checker());
      n.put("verdict", c.verdict().name());
      n.put("keys_checked", c.keysChecked());
      if (!c.counts().isEmpty()) {
        ObjectNode counts = n.putObject("counts");
        c.counts().forEach(counts::put);
      }
    }
    ArrayNode lost = root.putArray("lost_writes");
    r.lostWrites().forEach(lw -> lostWrite(lost.addObject(), lw));
    ArrayNode violations = root.putArray("violations");
    r.violations().forEach(v -> violation(violations.addObject(), v));
    ArrayNode inconclusive = root.putArray("inconclusive");
    for (Inconclusive i : r.inconclusive()) {
      ObjectNode n = inconclusive.addObject();
      n.put("checker", i.checker());
      n.put("key", i.key());
      n.put("reason", i.reason());
    }
    return root;
  }

  private static ObjectNode counts(OperationCounts c) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("total", c.total());
    n.put("ok", c.ok());
    n.put("fail", c.fail());
    n.put("info", c.info());
    return n;
  }

  private static void lostWrite(ObjectNode n, LostWrite lw) {
    n.put("key", lw.key());
    n.put("value", lw.value());
    n.put("process", lw.process());
    n.put("invoke_ms", Durations.toMs(lw.invokeNanos()));
    n.put("ack_ms", Durations.toMs(lw.ackNanos()));
    n.put("message", lw.message());
  }

  private static void violation(ObjectNode n, Violation v) {
    n.put("type", kind(v));
    n.put("key", v.key());
    n.put("message", v.message());
    if (v instanceof NonLinearizable nl) {
      n.put("blocking_op", nl.blockingOp());
      n.put("linearized_before", nl.linearizedBefore());
      ArrayNode states = n.putArray("candidate_states");
      nl.candidateStates().forEach(states::add);
      ArrayNode last = n.putArray("last_linearized");
      nl.lastLinearized().forEach(last::add);
    } else if (v instanceof LostWrite lw) {
      lostWrite(n, lw);
    } else if (v instanceof QueueViolation q) {
      n.put("kind", q.kind());
      n.put("body", q.body());
      n.put("message_id", q.messageId());
      n.put("at_ms", Durations.toMs(q.atNanos()));
    } else if (v instanceof DynamoViolation d) {
      n.put("kind", d.kind());
      n.put("at_ms", Durations.toMs(d.atNanos()));
    } else if (v instanceof KinesisViolation k) {
      n.put("kind", k.kind());
      n.put("at_ms", Durations.toMs(k.atNanos()));
    }
  }

  /** "non_linearizable", "lost_write": the record's name in snake case. */
  private static String kind(Violation v) {
    return v.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1_$2")
        .toLowerCase(Locale.ROOT);
  }

  private static void putMs(ObjectNode n, String field, Long nanos) {
    if (nanos == null) {
      n.putNull(field);
    } else {
      n.put(field, Durations.toMs(nanos));
    }
  }
}
