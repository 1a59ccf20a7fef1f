package fabric.drills.check;

import fabric.drills.history.Call;
import fabric.drills.history.Durations;
import fabric.drills.history.OpType;
import fabric.drills.history.OpValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
 *
 * <p>Resharding: {@link #CHILDREN}, key {@code stream/shardId}, OK with a message per child
 * GetRecords named at that closed shard's end (id = child shard id, body = its parents
 * comma-separated); {@link #SHARDS}, key the stream, OK with a message per shard of a
 * ListShards after the producers stopped (id = shard id, body = parents); {@link #RESHARD},
 * key the stream, an UpdateShardCount (value the target count). A partition key's records
 * move to a child when its parent closes, so its acknowledged records must follow the
 * lineage: ordered by the shard's depth (a child is deeper than each of its parents), then
 * by sequence number; a parent is read before its children, as AWS's KCL reads.
 */
public final class KinesisChecker {
  public static final String PUT = "put";
  public static final String READ = "read";
  public static final String CHILDREN = "children";
  public static final String SHARDS = "shards";
  public static final String RESHARD = "reshard";
  public static final String NAME = "kinesis-records";
  /** The per-record error code whose record may or may not be in the stream. */
  public static final String INTERNAL_FAILURE = "InternalFailure";

  private KinesisChecker() {}

  /** What became of one record a producer sent. */
  enum Outcome { OK, REFUSED, UNKNOWN }

  private record Sent(String body, Outcome outcome, String position, Call call) {}

  private record Seen(String shardId, String sequenceNumber, Call call) {}

  /** An acknowledged record as a reader returned it, for its key's order. */
  private record Acked(int depth, String shardId, String sequenceNumber, long counter,
      Call read) {}

  /** Lineage walks at most this deep (a reshard every second for a day stays below). */
  private static final int MAX_DEPTH = 100_000;

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
   * @param readToTip the shards whose reader reached the tip after the producers stopped,
   *     or the end of the closed shard: an acknowledged record missing from another shard is
   *     inconclusive, not lost
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

    String prefix = stream + "/";
    Map<String, Set<String>> parents = new HashMap<>();
    Set<String> listed = new LinkedHashSet<>();
    long reshards = 0;
    for (Call c : calls) {
      if (c.outcome() != OpType.OK) {
        continue;
      }
      if (CHILDREN.equals(c.f()) && c.key().startsWith(prefix)) {
        for (OpValue.Message child : OpValue.messagesOf(c.value())) {
          parents.computeIfAbsent(child.id(), k -> new LinkedHashSet<>())
              .addAll(split(child.body()));
        }
      } else if (SHARDS.equals(c.f()) && c.key().equals(stream)) {
        for (OpValue.Message shard : OpValue.messagesOf(c.value())) {
          listed.add(shard.id());
          parents.computeIfAbsent(shard.id(), k -> new LinkedHashSet<>())
              .addAll(split(shard.body()));
        }
      } else if (RESHARD.equals(c.f()) && c.key().equals(stream)) {
        reshards++;
      }
    }
    Map<String, Integer> depths = new HashMap<>();

    Map<String, List<Call>> readsByShard = new LinkedHashMap<>();
    for (Call c : calls) {
      if (READ.equals(c.f()) && c.outcome() == OpType.OK && c.key().startsWith(prefix)) {
        readsByShard.computeIfAbsent(c.key().substring(prefix.length()),
            k -> new ArrayList<>()).add(c);
      }
    }
    Map<String, Seen> seen = new HashMap<>();
    Map<String, List<Acked>> ackedByKey = new HashMap<>();
    long recordsRead = 0;
    long duplicates = 0;
    for (Map.Entry<String, List<Call>> shard : readsByShard.entrySet()) {
      String shardId = shard.getKey();
      String where = stream + "/" + shardId;
      shard.getValue().sort(Comparator.comparingLong(Call::endNanos));
      String previous = null;
      int depth = depth(shardId, parents, depths);
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
          if (key != null) {
            ackedByKey.computeIfAbsent(key, k -> new ArrayList<>())
                .add(new Acked(depth, shardId, seq, counterOf(body), read));
          }
        }
      }
    }
    for (Map.Entry<String, List<Acked>> key : ackedByKey.entrySet()) {
      List<Acked> records = key.getValue();
      records.sort(Comparator.comparingInt(Acked::depth).thenComparing(Acked::shardId)
          .thenComparing(Acked::sequenceNumber));
      for (int i = 1; i < records.size(); i++) {
        Acked before = records.get(i - 1);
        Acked a = records.get(i);
        if (before.counter() >= a.counter()) {
          String where = stream + "/" + a.shardId();
          violations.add(new KinesisViolation(where, KinesisViolation.KEY_ORDER,
              a.read().endNanos(), where + ": key " + key.getKey() + "'s acknowledged record "
                  + a.counter() + " (at " + a.sequenceNumber() + ", " + ms(a.read())
                  + ") comes after its " + before.counter() + " (at " + before.shardId()
                  + "/" + before.sequenceNumber() + ")" + (before.shardId().equals(a.shardId())
                      ? "" : ", a shard " + (before.depth() < a.depth() ? "of an earlier "
                          + "generation" : "beside it") + " in the lineage")));
        }
      }
    }
    for (String shardId : listed) {
      Set<String> ps = parents.getOrDefault(shardId, Set.of());
      if (!readsByShard.containsKey(shardId) && !ps.isEmpty() && readToTip.containsAll(ps)) {
        violations.add(new KinesisViolation(stream + "/" + shardId,
            KinesisViolation.UNFOLLOWED, 0, stream + "/" + shardId + ": ListShards lists it "
                + "as a child of " + ps + ", all read to their end, but no reader reached it "
                + "(the parents' ends did not name it as a child)"));
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
    counts.put("shards_listed", (long) listed.size());
    counts.put("reshards", reshards);
    counts.put("duplicates", duplicates);
    counts.put("lost", lost);
    return CheckResult.of(NAME + " " + stream, Math.max(1, readsByShard.size()), violations,
        inconclusive, counts);
  }

  private static List<String> split(String shardIds) {
    return shardIds.isEmpty() ? List.of() : List.of(shardIds.split(","));
  }

  /**
   * A shard's generation: 0 without parents, else one more than its deepest parent; a
   * child is thus deeper than each parent, and a key's shards (a chain: it moves to the
   * child that covers its hash key) are ordered by depth.
   */
  private static int depth(String shardId, Map<String, Set<String>> parents,
      Map<String, Integer> depths) {
    Integer known = depths.get(shardId);
    if (known != null) {
      return known;
    }
    // iterative, so that a long lineage cannot overflow the stack; a cycle (a broken
    // history) ends at MAX_DEPTH
    List<String> stack = new ArrayList<>(List.of(shardId));
    while (!stack.isEmpty() && stack.size() < MAX_DEPTH) {
      String top = stack.get(stack.size() - 1);
      int d = 0;
      String missing = null;
      for (String p : parents.getOrDefault(top, Set.of())) {
        Integer pd = depths.get(p);
        if (pd == null) {
          missing = p;
          break;
        }
        d = Math.max(d, pd + 1);
      }
      if (missing != null) {
        stack.add(missing);
      } else {
        depths.put(top, d);
        stack.remove(stack.size() - 1);
      }
    }
    return depths.getOrDefault(shardId, MAX_DEPTH);
  }

  private static String show(String body) {
    return '"' + body + '"';
  }

  private static String ms(Call c) {
    return Durations.ms(c.endNanos()) + " ms";
  }
}
