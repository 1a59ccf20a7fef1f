package fabric.drills.check;

import fabric.drills.history.Call;
import fabric.drills.history.History;
import fabric.drills.history.Op;
import fabric.drills.history.OpType;
import fabric.drills.history.OpValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Clients running against a real atomic register, simulated in discrete time: each op is invoked,
 * takes effect at a random later instant (its linearization point), and completes a random time
 * after that. Some ops end as INFO; of those, half never take effect and half take effect at a
 * random instant - possibly after the client gave up. The history is linearizable by
 * construction, and {@link Run#finalValues} is what a final read would see.
 */
final class RegisterSimulation {
  static final long UNIT_NANOS = 1_000_000;

  record Config(int clients, int keys, int opsPerClient, double infoRate) {}

  record Run(History history, Map<String, String> finalValues) {}

  private enum Kind { INVOKE, TAKE_EFFECT, COMPLETE }

  private record Event(long time, long seq, Kind kind, int client) {}

  /** The op a client has in flight. */
  private static final class InFlight {
    Op invoke;
    boolean indeterminate;
    String readResult;
    boolean casSucceeded;
  }

  private final SplittableRandom random;
  private final Config config;
  private final PriorityQueue<Event> events = new PriorityQueue<>(
      Comparator.comparingLong(Event::time).thenComparingLong(Event::seq));
  private final Map<String, String> register = new HashMap<>();
  /** The op each scheduled TAKE_EFFECT event applies, by the event's sequence number. */
  private final Map<Long, InFlight> effects = new HashMap<>();
  private final Map<String, List<String>> writtenSoFar = new HashMap<>();
  private final InFlight[] inFlight;
  private final int[] opsLeft;
  private final long[] clock = new long[1];
  private final History history = new History(() -> clock[0] * UNIT_NANOS);
  private long seq;
  private int nextValue;

  private RegisterSimulation(long seed, Config config) {
    this.random = new SplittableRandom(seed);
    this.config = config;
    this.inFlight = new InFlight[config.clients()];
    this.opsLeft = new int[config.clients()];
  }

  static Run run(long seed, Config config) {
    return new RegisterSimulation(seed, config).run();
  }

  private Run run() {
    for (int c = 0; c < config.clients(); c++) {
      opsLeft[c] = config.opsPerClient();
      schedule(random.nextInt(4), Kind.INVOKE, c);
    }
    while (!events.isEmpty()) {
      Event e = events.poll();
      clock[0] = e.time();
      switch (e.kind()) {
        case INVOKE -> invoke(e.client());
        case TAKE_EFFECT -> takeEffect(e);
        case COMPLETE -> complete(e.client());
        default -> throw new AssertionError(e);
      }
    }
    return new Run(history, Map.copyOf(register));
  }

  private void invoke(int client) {
    String key = "k" + random.nextInt(config.keys());
    int dice = random.nextInt(10);
    InFlight op = new InFlight();
    if (dice < 5) {
      op.invoke = history.invoke(client, Op.READ, key, null);
    } else if (dice < 8) {
      op.invoke = history.invoke(client, Op.WRITE, key, OpValue.of(freshValue()));
    } else {
      op.invoke = history.invoke(client, Op.CAS, key, OpValue.cas(expectedGuess(key),
          freshValue()));
    }
    inFlight[client] = op;
    long effectAt = clock[0] + random.nextInt(6);
    long completeAt = effectAt + random.nextInt(6);
    op.indeterminate = random.nextDouble() < config.infoRate();
    if (op.indeterminate) {
      if (random.nextBoolean()) {
        // Takes effect some time after the invocation - maybe after the client timed out.
        schedule(clock[0] + random.nextInt(21), Kind.TAKE_EFFECT, client, op);
      }
    } else {
      schedule(effectAt, Kind.TAKE_EFFECT, client, op);
    }
    schedule(completeAt, Kind.COMPLETE, client);
  }

  private void takeEffect(Event e) {
    InFlight op = effects.remove(e.seq());
    Op inv = op.invoke;
    String key = inv.key();
    switch (inv.f()) {
      case Op.READ -> op.readResult = register.get(key);
      case Op.WRITE -> write(key, OpValue.text(inv.value()));
      case Op.CAS -> {
        OpValue.Cas cas = (OpValue.Cas) inv.value();
        op.casSucceeded = Objects.equals(register.get(key), cas.expected());
        if (op.casSucceeded) {
          write(key, cas.next());
        }
      }
      default -> throw new AssertionError(inv);
    }
  }

  private void complete(int client) {
    InFlight op = inFlight[client];
    inFlight[client] = null;
    if (op.indeterminate) {
      history.info(op.invoke, "DEADLINE_EXCEEDED");
    } else if (Op.READ.equals(op.invoke.f())) {
      history.ok(op.invoke, OpValue.of(op.readResult));
    } else if (Op.CAS.equals(op.invoke.f()) && !op.casSucceeded) {
      history.fail(op.invoke, "cas mismatch");
    } else {
      history.ok(op.invoke);
    }
    if (--opsLeft[client] > 0) {
      schedule(clock[0] + random.nextInt(4), Kind.INVOKE, client);
    }
  }

  private void write(String key, String value) {
    register.put(key, value);
    writtenSoFar.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
  }

  /** Half the time the current value (the cas will likely succeed), else an older one. */
  private String expectedGuess(String key) {
    List<String> old = writtenSoFar.getOrDefault(key, List.of());
    if (old.isEmpty() || random.nextBoolean()) {
      return register.get(key);
    }
    return old.get(random.nextInt(old.size()));
  }

  private String freshValue() {
    return "v" + nextValue++;
  }

  private void schedule(long time, Kind kind, int client) {
    events.add(new Event(time, seq++, kind, client));
  }

  private void schedule(long time, Kind kind, int client, InFlight op) {
    effects.put(seq, op);
    schedule(time, kind, client);
  }

  // ---- corruptions of a linearizable history ----

  /** The history with one completion's value replaced. */
  static History withValue(History h, long completionIndex, String value) {
    List<Op> ops = new ArrayList<>(h.ops());
    Op o = ops.get((int) completionIndex);
    ops.set((int) completionIndex, new Op(o.index(), o.process(), o.type(), o.f(), o.key(),
        OpValue.of(value), o.timeNanos(), o.error()));
    return History.of(ops, h.faults());
  }

  /** The OK reads, in a seeded random order. */
  static List<Call> okReads(History h, long seed) {
    List<Call> reads = new ArrayList<>();
    for (Call c : h.calls()) {
      if (Op.READ.equals(c.f()) && c.isOk()) {
        reads.add(c);
      }
    }
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = reads.size() - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      Call t = reads.get(i);
      reads.set(i, reads.get(j));
      reads.set(j, t);
    }
    return reads;
  }

  /**
   * A value the read cannot legally return: written by an acknowledged write that another
   * acknowledged write definitely followed, which itself completed before the read began.
   * Null if the history has no such pattern before this read.
   */
  static String definitelyOverwrittenValue(History h, Call read) {
    List<Call> writers = new ArrayList<>();
    for (Call c : h.calls()) {
      if (c.key().equals(read.key()) && c.isOk()
          && (Op.WRITE.equals(c.f()) || Op.CAS.equals(c.f()))) {
        writers.add(c);
      }
    }
    Call latestBefore = null;
    for (Call w : writers) {
      if (w.precedes(read)
          && (latestBefore == null || w.invoke().index() > latestBefore.invoke().index())) {
        latestBefore = w;
      }
    }
    if (latestBefore == null) {
      return null;
    }
    for (Call w : writers) {
      if (w.precedes(latestBefore)) {
        return written(w);
      }
    }
    return null;
  }

  static String written(Call writer) {
    OpValue v = writer.invoke().value();
    return v instanceof OpValue.Cas cas ? cas.next() : OpValue.text(v);
  }

  static long count(History h, OpType outcome, String f) {
    return h.calls().stream().filter(c -> c.outcome() == outcome && c.f().equals(f)).count();
  }
}
