package fabric.dynamo.partition;

import fabric.core.entity.Outcome;
import fabric.dynamo.global.GlobalVersions;
import fabric.dynamo.global.ReplicaWrite;
import fabric.dynamo.global.Version;
import fabric.dynamo.model.DynamoErrors;
import fabric.dynamo.model.PrimaryKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A partition's part of a global table: its replica regions and their feed cursors,
 * replicated writes applied by last writer wins, and the version every local write leaves
 * ({@code (atMillis, region)}, atMillis stamped past the key's version by the write's
 * decide, so the region taking a write always keeps it).
 */
public final class PartitionGlobal {
  /** A replicated batch at most (one feed read of the origin's journal is smaller). */
  static final int MAX_WRITES_PER_BATCH = 1_000;
  /** A copy page at most: 100 items and about 128 KiB of them (one larger item goes alone),
   *  so a page is a small message between nodes. */
  static final int MAX_PAGE = 100;
  static final long MAX_PAGE_BYTES = 128 * 1024;

  private PartitionGlobal() {}

  static boolean handles(PartitionCommand c) {
    return c instanceof PartitionCommand.SetGlobal || c instanceof PartitionCommand.ApplyReplica
        || c instanceof PartitionCommand.Shipped || c instanceof PartitionCommand.ReplicaPage;
  }

  static Outcome<PartitionEvent, PartitionState> decide(PartitionState state,
      PartitionCommand command) {
    GlobalVersions g = state.global();
    if (command instanceof PartitionCommand.SetGlobal set) {
      boolean same = g != null && g.region().equals(set.region())
          && g.peers().keySet().equals(new java.util.TreeSet<>(set.peers()));
      return same || (g == null && set.peers().isEmpty())
          ? Outcome.reply(new PartitionReply.Done())
          : Outcome.persist(new PartitionEvent.GlobalSet(set.region(),
              List.copyOf(set.peers())), s -> new PartitionReply.Done());
    }
    if (command instanceof PartitionCommand.Shipped shipped) {
      Long at = g == null ? null : g.peers().get(shipped.region());
      return at == null || at >= shipped.nextSeqNr() ? Outcome.reply(new PartitionReply.Done())
          : Outcome.persist(new PartitionEvent.ReplicaShipped(shipped.region(),
              shipped.nextSeqNr()), s -> new PartitionReply.Done());
    }
    if (command instanceof PartitionCommand.ReplicaPage page) {
      return Outcome.reply(page(state, page));
    }
    PartitionCommand.ApplyReplica apply = (PartitionCommand.ApplyReplica) command;
    if (g == null) {
      throw DynamoErrors.validation("Table is not a global table replica here");
    }
    if (apply.writes().size() > MAX_WRITES_PER_BATCH) {
      throw DynamoErrors.validation("at most " + MAX_WRITES_PER_BATCH + " replicated writes");
    }
    // The newest write of each key in the batch; the ones not newer than ours dropped.
    Map<PrimaryKey, ReplicaWrite> newest = new LinkedHashMap<>();
    for (ReplicaWrite w : apply.writes()) {
      ReplicaWrite before = newest.get(w.key());
      if ((before == null || w.version().newerThan(before.version())) && g.accepts(w)) {
        newest.put(w.key(), w);
      }
    }
    if (newest.isEmpty()) {
      return Outcome.reply(new PartitionReply.Done());
    }
    List<PartitionEvent> events = new ArrayList<>(newest.size());
    for (ReplicaWrite w : newest.values()) {
      events.add(new PartitionEvent.ReplicaApplied(w,
          state.streamed() ? state.items().get(w.key()) : null));
    }
    return Outcome.persistAll(events, s -> new PartitionReply.Done());
  }

  private static PartitionReply.ReplicaPage page(PartitionState state,
      PartitionCommand.ReplicaPage page) {
    GlobalVersions g = state.global();
    int limit = Math.max(1, Math.min(MAX_PAGE, page.limit()));
    List<ReplicaWrite> out = new ArrayList<>();
    if (page.tombstones()) {
      if (g == null) {
        return new PartitionReply.ReplicaPage(out, null);
      }
      GlobalVersions.Tombstones tombs = g.tombstonesAfter(page.afterKey(), limit);
      for (GlobalVersions.Entry e : tombs.entries()) {
        out.add(new ReplicaWrite(e.key(), null, e.version()));
      }
      return new PartitionReply.ReplicaPage(out, tombs.lastKey());
    }
    long bytes = 0;
    for (var e : state.items().from(page.afterKey(), true)) {
      if (out.size() >= limit || bytes >= MAX_PAGE_BYTES) {
        return new PartitionReply.ReplicaPage(out, out.get(out.size() - 1).key());
      }
      out.add(new ReplicaWrite(e.getKey(), e.getValue(), copyVersion(g, e.getKey())));
      bytes += e.getValue().sizeBytes();
    }
    return new PartitionReply.ReplicaPage(out, null);
  }

  /** An item written before its table became global has no version: its copy gets the
   *  oldest one this region can give (any real write is newer), the same on every copy. */
  private static Version copyVersion(GlobalVersions g, PrimaryKey key) {
    Version v = g == null ? Version.ZERO : g.version(key);
    return v.equals(Version.ZERO) ? new Version(0, g == null ? "" : g.region()) : v;
  }

  /** The timestamp a local write of {@code keys} at {@code nowMillis} gets. */
  static long stamp(PartitionState state, List<PrimaryKey> keys, long nowMillis) {
    long at = nowMillis;
    if (state.global() != null) {
      for (PrimaryKey k : keys) {
        at = Math.max(at, state.global().stamp(k, nowMillis));
      }
    }
    return at;
  }

  /** The state after {@code event} with its versions recorded (a global table's). */
  static PartitionState evolve(PartitionState s, PartitionEvent event) {
    GlobalVersions g = s.global();
    if (event instanceof PartitionEvent.GlobalSet set) {
      if (set.peers().isEmpty()) {
        return s.withGlobal(null);
      }
      Map<String, Long> peers = new LinkedHashMap<>();
      for (String peer : set.peers()) {
        peers.put(peer, s.appliedEvents() + 1); // lower bound of the next event's seqNr
      }
      GlobalVersions base = g != null && g.region().equals(set.region()) ? g
          : GlobalVersions.of(set.region());
      return s.withGlobal(base.withPeers(peers));
    }
    if (event instanceof PartitionEvent.ReplicaShipped shipped) {
      return g == null ? s : s.withGlobal(g.shipped(shipped.region(), shipped.nextSeqNr()));
    }
    if (event instanceof PartitionEvent.ReplicaApplied a) {
      ReplicaWrite w = a.write();
      ItemStore items = w.delete() ? s.items().remove(w.key(), s.appliedEvents())
          : s.items().put(w.key(), w.item(), s.appliedEvents());
      PartitionState next = s.with(items, s.capacity());
      return g == null ? next : next.withGlobal(g.written(w.key(), w.version(), w.delete()));
    }
    if (g == null) {
      return s;
    }
    if (event instanceof PartitionEvent.ItemPut put) {
      return s.withGlobal(g.written(put.key(), new Version(put.atMillis(), g.region()), false));
    }
    if (event instanceof PartitionEvent.ItemDeleted d) {
      return s.withGlobal(g.written(d.key(), new Version(d.atMillis(), g.region()), true));
    }
    if (event instanceof PartitionEvent.ItemsExpired x) {
      for (PrimaryKey k : x.keys()) {
        g = g.written(k, new Version(x.atMillis(), g.region()), true);
      }
      return s.withGlobal(g);
    }
    if (event instanceof PartitionEvent.TxCommitted c) {
      for (TxLocks.Lock l : c.applied()) {
        if (l.delete() || l.newItem() != null) {
          g = g.written(l.key(), new Version(c.atMillis(), g.region()), l.delete());
        }
      }
      return s.withGlobal(g);
    }
    return s;
  }

  /** The writes a local event made, as the feed ships them (replicated ones: none). */
  public static List<ReplicaWrite> writes(String region, PartitionEvent event) {
    List<ReplicaWrite> out = new ArrayList<>();
    if (event instanceof PartitionEvent.ItemPut put) {
      out.add(new ReplicaWrite(put.key(), put.item(), new Version(put.atMillis(), region)));
    } else if (event instanceof PartitionEvent.ItemDeleted d) {
      out.add(new ReplicaWrite(d.key(), null, new Version(d.atMillis(), region)));
    } else if (event instanceof PartitionEvent.ItemsExpired x) {
      for (PrimaryKey k : x.keys()) {
        out.add(new ReplicaWrite(k, null, new Version(x.atMillis(), region)));
      }
    } else if (event instanceof PartitionEvent.TxCommitted c) {
      for (TxLocks.Lock l : c.applied()) {
        if (l.delete() || l.newItem() != null) {
          out.add(new ReplicaWrite(l.key(), l.delete() ? null : l.newItem(),
              new Version(c.atMillis(), region)));
        }
      }
    }
    return out;
  }
}
