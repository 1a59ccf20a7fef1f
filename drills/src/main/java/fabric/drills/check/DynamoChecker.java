package fabric.drills.check;

import fabric.drills.history.Call;
import fabric.drills.history.Durations;
import fabric.drills.history.History;
import fabric.drills.history.OpValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks the DynamoDB workload's history: transfers between accounts and atomic reads of
 * all accounts ({@link #balances}), and plain puts of unique ledger items ({@link #ledger}).
 *
 * <p>History shapes (the key of every call is the table): {@link #TRANSFER} invoked with
 * {@code from>to:amount}; {@link #ATOMIC_READ} OK with the balances as {@link
 * #balancesText} ({@code acct-0=100 acct-1=97 ...}, {@code absent} for a missing account),
 * FAIL = the read was cancelled (a transaction held an account); {@link #PUT} invoked with
 * the ledger item's id, which is also the value it writes.
 */
public final class DynamoChecker {
  public static final String TRANSFER = "transfer";
  public static final String ATOMIC_READ = "atomic-read";
  public static final String PUT = "put";
  public static final String BALANCES = "dynamodb-balances";
  public static final String LEDGER = "dynamodb-ledger";
  private static final String ABSENT = "absent";

  private DynamoChecker() {}

  /** {@code acct-0=100 acct-1=97}, {@code absent} for null. */
  public static String balancesText(Map<String, Long> balances) {
    StringBuilder b = new StringBuilder();
    balances.forEach((id, v) -> b.append(b.isEmpty() ? "" : " ").append(id).append('=')
        .append(v == null ? ABSENT : v.toString()));
    return b.toString();
  }

  /** The inverse of {@link #balancesText}. */
  public static Map<String, Long> parseBalances(String text) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String part : text.trim().split(" +")) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String v = part.substring(eq + 1);
      out.put(part.substring(0, eq), ABSENT.equals(v) ? null : Long.parseLong(v));
    }
    return out;
  }

  /**
   * Transfers keep the sum of the balances constant, and every atomic read (TransactGetItems)
   * must see that sum ({@link DynamoViolation#TORN_READ} otherwise) and no balance below zero
   * (every debit is conditional); after the workload the final atomic read must sum to the
   * initial sum ({@link DynamoViolation#FINAL_SUM}): transactions a crash cut half-way must
   * have been finished or rolled back by then.
   *
   * @param finalBalances the final atomic read, empty if none answered within its bound
   *     (inconclusive)
   */
  public static CheckResult balances(History history, String table, long initialSum,
      Optional<Map<String, Long>> finalBalances) {
    return balances(history.calls(), table, initialSum, finalBalances, -1);
  }

  /** @param finalAtNanos when the final read answered, for the report */
  public static CheckResult balances(List<Call> calls, String table, long initialSum,
      Optional<Map<String, Long>> finalBalances, long finalAtNanos) {
    List<Violation> violations = new ArrayList<>();
    long transfersOk = 0;
    long cancelled = 0;
    long transfersUnknown = 0;
    long readsOk = 0;
    long conflicts = 0;
    long readsUnknown = 0;
    long torn = 0;
    for (Call c : calls) {
      if (!c.key().equals(table)) {
        continue;
      }
      if (TRANSFER.equals(c.f())) {
        switch (c.outcome()) {
          case OK -> transfersOk++;
          case FAIL -> cancelled++;
          default -> transfersUnknown++;
        }
      } else if (ATOMIC_READ.equals(c.f())) {
        switch (c.outcome()) {
          case OK -> {
            readsOk++;
            String problem = judge(parseBalances(OpValue.text(c.value())), initialSum,
                violations, table, c.endNanos(), "atomic read by p" + c.process() + " ["
                    + Durations.ms(c.startNanos()) + " ms, " + Durations.ms(c.endNanos())
                    + " ms]");
            if (problem != null) {
              torn++;
            }
          }
          case FAIL -> conflicts++;
          default -> readsUnknown++;
        }
      }
    }
    List<Inconclusive> inconclusive = new ArrayList<>();
    if (finalBalances.isEmpty()) {
      inconclusive.add(new Inconclusive(BALANCES, table,
          "no final atomic read answered: the final sum is unknown"));
    } else {
      Map<String, Long> last = finalBalances.get();
      long sum = sum(last);
      if (sum != initialSum || last.containsValue(null)) {
        violations.add(new DynamoViolation(table, DynamoViolation.FINAL_SUM, finalAtNanos,
            "table " + table + ": the final atomic read sums to " + sum + ", not the initial "
                + initialSum + " (" + balancesText(last) + ")"));
      }
      judgeNegative(last, violations, table, finalAtNanos, "the final atomic read");
    }
    if (readsOk == 0 && finalBalances.isEmpty()) {
      inconclusive.add(new Inconclusive(BALANCES, table, "no atomic read succeeded"));
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("transfers_ok", transfersOk);
    counts.put("transfers_cancelled", cancelled);
    counts.put("transfers_unknown", transfersUnknown);
    counts.put("atomic_reads_ok", readsOk);
    counts.put("atomic_reads_conflict", conflicts);
    counts.put("atomic_reads_unknown", readsUnknown);
    counts.put("torn_reads", torn);
    counts.put("initial_sum", initialSum);
    finalBalances.ifPresent(b -> counts.put("final_sum", sum(b)));
    return CheckResult.of(BALANCES + " " + table, 1, violations, inconclusive, counts);
  }

  private static String judge(Map<String, Long> balances, long initialSum,
      List<Violation> violations, String table, long atNanos, String what) {
    long sum = sum(balances);
    String problem = null;
    if (sum != initialSum || balances.containsValue(null)) {
      problem = "table " + table + ": " + what + " sums to " + sum + ", not " + initialSum
          + " (" + balancesText(balances) + ")";
      violations.add(new DynamoViolation(table, DynamoViolation.TORN_READ, atNanos, problem));
    }
    judgeNegative(balances, violations, table, atNanos, what);
    return problem;
  }

  private static void judgeNegative(Map<String, Long> balances, List<Violation> violations,
      String table, long atNanos, String what) {
    balances.forEach((id, v) -> {
      if (v != null && v < 0) {
        violations.add(new DynamoViolation(table, DynamoViolation.NEGATIVE_BALANCE, atNanos,
            "table " + table + ": " + what + " shows " + id + " = " + v + " although every "
                + "debit requires balance >= amount"));
      }
    });
  }

  private static long sum(Map<String, Long> balances) {
    return balances.values().stream().mapToLong(v -> v == null ? 0 : v).sum();
  }

  /**
   * Every acknowledged put of a ledger item must read back (strongly consistent GetItem,
   * after the workload and the faults) with its value: absent is a {@link LostWrite}, another
   * value a {@link DynamoViolation#WRONG_VALUE}. Unknown puts may or may not be there.
   *
   * @param finalReads per ledger id read back: the value, or empty if absent; an id missing
   *     from the map could not be read (inconclusive)
   */
  public static CheckResult ledger(History history, String table,
      Map<String, Optional<String>> finalReads) {
    return ledger(history.calls(), table, finalReads);
  }

  public static CheckResult ledger(List<Call> calls, String table,
      Map<String, Optional<String>> finalReads) {
    List<Violation> violations = new ArrayList<>();
    List<Inconclusive> inconclusive = new ArrayList<>();
    long ok = 0;
    long unknown = 0;
    long failed = 0;
    long unknownPresent = 0;
    long unread = 0;
    for (Call c : calls) {
      if (!c.key().equals(table) || !PUT.equals(c.f())) {
        continue;
      }
      String id = OpValue.text(c.invoke().value());
      Optional<String> read = finalReads.get(id);
      switch (c.outcome()) {
        case OK -> {
          ok++;
          if (read == null) {
            unread++;
            inconclusive.add(new Inconclusive(LEDGER, table + "/" + id,
                "the acknowledged item could not be read back"));
          } else if (read.isEmpty()) {
            violations.add(new LostWrite(table, id, c.process(), c.startNanos(), c.endNanos(),
                "table " + table + ": acknowledged put of " + OpValue.show(id) + " (p"
                    + c.process() + ", sent at " + Durations.ms(c.startNanos())
                    + " ms, acknowledged at " + Durations.ms(c.endNanos()) + " ms) is gone: "
                    + "a strongly consistent GetItem finds no item"));
          } else if (!read.get().equals(id)) {
            violations.add(new DynamoViolation(table, DynamoViolation.WRONG_VALUE,
                c.endNanos(), "table " + table + ": acknowledged put of " + OpValue.show(id)
                    + " reads back as " + OpValue.show(read.get())));
          }
        }
        case FAIL -> failed++;
        default -> {
          unknown++;
          if (read != null && read.isPresent()) {
            unknownPresent++;
          }
        }
      }
    }
    if (ok == 0) {
      inconclusive.add(new Inconclusive(LEDGER, table, "no put was acknowledged"));
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("puts_ok", ok);
    counts.put("puts_failed", failed);
    counts.put("puts_unknown", unknown);
    counts.put("unknown_puts_present", unknownPresent);
    counts.put("unread", unread);
    counts.put("lost", violations.stream().filter(v -> v instanceof LostWrite).count());
    return CheckResult.of(LEDGER + " " + table, 1, violations, inconclusive, counts);
  }
}
