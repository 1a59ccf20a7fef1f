package fabric.drills.check;

import fabric.drills.history.Call;
import fabric.drills.history.Durations;
import fabric.drills.history.OpType;
import fabric.drills.history.OpValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the Kinesis workload's history: producers put records {@code key:counter} (a
 * counter per partition key, never reused: a put is never retried), one reader per shard
 * reads it from TRIM_HORIZON to its tip.
 *
 * <p>History shapes: {@link #PUT}, key the stream, invoked with the records as
 * {@link OpValue.Message}s (id = partition key, body = data), OK with one message per record
 * in the request's order whose id is {@code shardId/sequenceNumber} or, for a record the
 * stream refused, {@code !ErrorCode} ({@code !InternalFailure}: unknown; any other code, e.g.
 * ProvisionedThroughputExceededException: refused). {@link #READ}, key
 * {@code stream/shardId}, OK with the records GetRecords returned (id = sequence number,
 * body = data); one reader per shard, so its OK reads in completion order are the shard.
 */
public final class KinesisChecker {
  public static final String PUT = "put";
  public static final String READ = "read";
  public static final String NAME = "kinesis-records";
  /** The per-record error code whose record may or may not be in the stream. */
  public static final String INTERNAL_FAILURE = "InternalFailure";

  private KinesisChecker() {}

  /** What became of one record a producer sent. */
  enum Outcome { OK, REFUSED, UNKNOWN }

  private record Sent(String body, Outcome outcome, String position, Call call) {}

  private record Seen(String shardId, String sequenceNumber, Call call) {}

  /** {@code key:counter}'s key and counter; null if the body has no such shape. */
  static String keyOf(String body) {
    int colon = body.lastIndexOf(':');
    return colon <= 0 ? null : body.substring(0, colon);
  }

  static long counterOf(String body) {
    try {
      return Long.parseLong(body.substring(body.lastIndexOf(':') + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * @param readToTip the shards whose reader reached the tip after the producers stopped:
   *     an acknowledged record missing from another shard is inconclusive, not lost
   */
  public static CheckResult check(List<Call> calls, String stream, Set<String> readToTip) {
    List<Violation> violations = new ArrayList<>();
    List<Inconclusive> inconclusive = new ArrayList<>();
    Map<String, Sent> sent = new HashMap<>();
    for (Call c : calls) {
      if (!c.key().equals(stream) || !PUT.equals(c.f())) {
        continue;
      }
      List<OpValue.Message> asked = OpValue.messagesOf(c.invoke().value());
      List<OpValue.Message> answered = c.outcome() == OpType.OK
          ? OpValue.messagesOf(c.value()) : List.of();
      for (int i = 0; i < asked.size(); i++) {
        String body = asked.get(i).body();
        Outcome o;
        String position = null;
        if (c.outcome() == OpType.FAIL) {
          o = Outcome.REFUSED;
        } else if (c.outcome() != OpType.OK || i >= answered.size()) {
          o = Outcome.UNKNOWN;
        } else if (answered.get(i).id().startsWith("!")) {
          o = answered.get(i).id().equals("!" + INTERNAL_FAILURE) ? Outcome.UNKNOWN
              : Outcome.REFUSED;
        } else {
          o = Outcome.OK;
          position = answered.get(i).id();
        }
        sent.put(body, new Sent(body, o, position, c));
      }
    }

    Map<String, List<Call>> readsByShard = new LinkedHashMap<>();
    String prefix = stream + "/";
    for (Call c : calls) {
      if (READ.equals(c.f()) && c.outcome() == OpType.OK && c.key().startsWith(prefix)) {
        readsByShard.computeIfAbsent(c.key().substring(prefix.length()),
            k -> new ArrayList<>()).add(c);
      }
    }
    Map<String, Seen> seen = new HashMap<>();
    long recordsRead = 0;
    long duplicates = 0;
    for (Map.Entry<String, List<Call>> shard : readsByShard.entrySet()) {
      String shardId = shard.getKey();
      String where = stream + "/" + shardId;
      shard.getValue().sort(Comparator.comparingLong(Call::endNanos));
      String previous = null;
      Map<String, Long> lastCounter = new HashMap<>();
      for (Call read : shard.getValue()) {
        for (OpValue.Message r : OpValue.messagesOf(read.value())) {
          recordsRead++;
          String seq = r.id();
          String body = r.body();
          if (previous != null && seq.compareTo(previous) <= 0) {
            violations.add(new KinesisViolation(where, KinesisViolation.OUT_OF_ORDER,
                read.endNanos(), where + ": sequence number " + seq + " (" + show(body)
                    + ") read after " + previous + " at " + ms(read)));
          }
          previous = seq.compareTo(previous == null ? "" : previous) > 0 ? seq : previous;
          Seen before = seen.putIfAbsent(body, new Seen(shardId, seq, read));
          if (before != null) {
            duplicates++;
            violations.add(new KinesisViolation(where, KinesisViolation.DUPLICATE,
                read.endNanos(), where + ": " + show(body) + " read again at " + seq + " ("
                    + ms(read) + "), first at " + before.shardId() + "/"
                    + before.sequenceNumber()));
            continue;
          }
          Sent s = sent.get(body);
          if (s == null || s.outcome() == Outcome.REFUSED) {
            violations.add(new KinesisViolation(where, KinesisViolation.PHANTOM,
                read.endNanos(), where + ": " + show(body) + " read at " + seq + " although "
                    + (s == null ? "no put sent it" : "its put was refused ("
                        + s.call().describe() + ")")));
            continue;
          }
          if (s.outcome() != Outcome.OK) {
            continue; // unknown: may be there, in any place
          }
          if (!s.position().equals(shardId + "/" + seq)) {
            violations.add(new KinesisViolation(where, KinesisViolation.WRONG_POSITION,
                read.endNanos(), show(body) + " was acknowledged at " + s.position()
                    + " but read at " + shardId + "/" + seq));
          }
          String key = keyOf(body);
          long counter = counterOf(body);
          Long last = key == null ? null : lastCounter.put(key, counter);
          if (last != null && last >= counter) {
            violations.add(new KinesisViolation(where, KinesisViolation.KEY_ORDER,
                read.endNanos(), where + ": key " + key + "'s acknowledged record "
                    + counter + " read after its " + last + " (at " + seq + ", "
                    + ms(read) + ")"));
          }
        }
      }
    }

    long ok = 0;
    long refused = 0;
    long unknown = 0;
    long unknownPresent = 0;
    long lost = 0;
    for (Sent s : sent.values()) {
      switch (s.outcome()) {
        case OK -> {
          ok++;
          if (seen.containsKey(s.body())) {
            continue;
          }
          String shardId = s.position().substring(0, s.position().indexOf('/'));
          if (!readToTip.contains(shardId)) {
            inconclusive.add(new Inconclusive(NAME, stream + "/" + shardId, "acknowledged "
                + show(s.body()) + " not read, and the reader never reached the tip"));
          } else {
            lost++;
            Call c = s.call();
            violations.add(new LostWrite(stream + "/" + shardId, s.body(), c.process(),
                c.startNanos(), c.endNanos(), stream + ": acknowledged record "
                    + show(s.body()) + " (p" + c.process() + ", at " + s.position()
                    + ", sent at " + Durations.ms(c.startNanos()) + " ms, acknowledged at "
                    + Durations.ms(c.endNanos()) + " ms) was never read from TRIM_HORIZON"));
          }
        }
        case REFUSED -> refused++;
        default -> {
          unknown++;
          if (seen.containsKey(s.body())) {
            unknownPresent++;
          }
        }
      }
    }
    if (ok == 0) {
      inconclusive.add(new Inconclusive(NAME, stream, "no record was acknowledged"));
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("records_ok", ok);
    counts.put("records_refused", refused);
    counts.put("records_unknown", unknown);
    counts.put("unknown_records_read", unknownPresent);
    counts.put("records_read", recordsRead);
    counts.put("shards_read", (long) readsByShard.size());
    counts.put("shards_read_to_tip", (long) readToTip.size());
    counts.put("duplicates", duplicates);
    counts.put("lost", lost);
    return CheckResult.of(NAME + " " + stream, Math.max(1, readsByShard.size()), violations,
        inconclusive, counts);
  }

  private static String show(String body) {
    return '"' + body + '"';
  }

  private static String ms(Call c) {
    return Durations.ms(c.endNanos()) + " ms";
  }
}
