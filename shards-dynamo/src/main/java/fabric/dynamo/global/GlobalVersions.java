package fabric.dynamo.global;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import fabric.core.serialization.CborSerializable;
import fabric.dynamo.model.PrimaryKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.pcollections.TreePMap;
import org.pcollections.TreePSet;

/**
 * A global table partition's last-writer-wins bookkeeping: its region, the version of every
 * key written since the table became global, and tombstones of deleted keys. Persistent
 * (pcollections), so the partition's event handler stays pure and cheap.
 *
 * <p>A tombstone is kept {@link #TOMBSTONE_MILLIS} (24 h, DynamoDB Streams' retention: a
 * write older than that cannot still be on its way from another region unless that region
 * was cut off for a day) and at most {@link #MAX_TOMBSTONES} per partition (so a delete-heavy
 * workload cannot grow the state without bound; past it the oldest go first). A put older
 * than a dropped tombstone would resurrect its item: that is the documented bound.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.NONE,
    getterVisibility = JsonAutoDetect.Visibility.NONE,
    isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class GlobalVersions implements CborSerializable {
  public static final long TOMBSTONE_MILLIS = 24L * 3600 * 1000;
  public static final int MAX_TOMBSTONES = 100_000;
  /** Tombstones dropped per write at most, so no single event handler does unbounded work. */
  static final int PRUNE_PER_WRITE = 16;

  /** One key's version; {@code deleted}: a tombstone. */
  public record Entry(PrimaryKey key, Version version, boolean deleted)
      implements CborSerializable {}

  private record Tomb(long millis, PrimaryKey key) {}

  private static final Comparator<Tomb> TOMB_ORDER = Comparator.comparingLong(Tomb::millis)
      .thenComparing(Tomb::key, PrimaryKey.ORDER);

  private final String region;
  private final TreePMap<String, Long> peers;
  private final TreePMap<PrimaryKey, Entry> entries;
  private final TreePSet<Tomb> tombs;

  private GlobalVersions(String region, TreePMap<String, Long> peers,
      TreePMap<PrimaryKey, Entry> entries, TreePSet<Tomb> tombs) {
    this.region = region;
    this.peers = peers;
    this.entries = entries;
    this.tombs = tombs;
  }

  public static GlobalVersions of(String region) {
    return new GlobalVersions(region, TreePMap.empty(), TreePMap.empty(PrimaryKey.ORDER),
        TreePSet.empty(TOMB_ORDER));
  }

  @JsonCreator
  public static GlobalVersions fromJson(@JsonProperty("region") String region,
      @JsonProperty("peers") Map<String, Long> peers,
      @JsonProperty("entries") List<Entry> list) {
    GlobalVersions v = of(region).withPeers(peers == null ? Map.of() : peers);
    TreePMap<PrimaryKey, Entry> e = v.entries;
    TreePSet<Tomb> t = v.tombs;
    for (Entry entry : list == null ? List.<Entry>of() : list) {
      e = e.plus(entry.key(), entry);
      if (entry.deleted()) {
        t = t.plus(new Tomb(entry.version().millis(), entry.key()));
      }
    }
    return new GlobalVersions(region, v.peers, e, t);
  }

  @JsonProperty("region")
  public String region() {
    return region;
  }

  /** The other regions' replicas, each with the journal sequence number its feed reads
   *  next (the write events before it were shipped there). */
  @JsonProperty("peers")
  public Map<String, Long> peers() {
    return peers;
  }

  /** The replica regions are now {@code next} (a new one starts at {@code nextSeqNr}, the
   *  ones that stay keep their cursor). */
  public GlobalVersions withPeers(Map<String, Long> next) {
    TreePMap<String, Long> p = TreePMap.empty();
    for (Map.Entry<String, Long> e : next.entrySet()) {
      p = p.plus(e.getKey(), peers.getOrDefault(e.getKey(), e.getValue()));
    }
    return new GlobalVersions(region, p, entries, tombs);
  }

  /** The feed to {@code peer} shipped every write event before {@code nextSeqNr}. */
  public GlobalVersions shipped(String peer, long nextSeqNr) {
    Long at = peers.get(peer);
    return at == null || at >= nextSeqNr ? this
        : new GlobalVersions(region, peers.plus(peer, nextSeqNr), entries, tombs);
  }

  @JsonProperty("entries")
  public List<Entry> toList() {
    return new ArrayList<>(entries.values());
  }

  /** The key's version, {@link Version#ZERO} if it was never written while global. */
  public Version version(PrimaryKey key) {
    Entry e = entries.get(key);
    return e == null ? Version.ZERO : e.version();
  }

  public boolean deleted(PrimaryKey key) {
    Entry e = entries.get(key);
    return e != null && e.deleted();
  }

  public int tombstones() {
    return tombs.size();
  }

  public int size() {
    return entries.size();
  }

  /** The timestamp a local write at {@code nowMillis} gets: past the key's version, so the
   *  region that takes the write also keeps it when the write is compared elsewhere. */
  public long stamp(PrimaryKey key, long nowMillis) {
    return Math.max(nowMillis, version(key).millis() + 1);
  }

  /** Whether a replicated write applies here: last writer wins. */
  public boolean accepts(ReplicaWrite w) {
    return w.version().newerThan(version(w.key()));
  }

  /** The key was written (or deleted) with {@code version}; old tombstones pruned. */
  public GlobalVersions written(PrimaryKey key, Version version, boolean deleted) {
    TreePMap<PrimaryKey, Entry> e = entries;
    TreePSet<Tomb> t = tombs;
    Entry before = e.get(key);
    if (before != null && before.deleted()) {
      t = t.minus(new Tomb(before.version().millis(), key));
    }
    e = e.plus(key, new Entry(key, version, deleted));
    if (deleted) {
      t = t.plus(new Tomb(version.millis(), key));
    }
    long horizon = version.millis() - TOMBSTONE_MILLIS;
    for (int i = 0; i < PRUNE_PER_WRITE && !t.isEmpty(); i++) {
      Tomb oldest = t.first();
      if (oldest.millis() >= horizon && t.size() <= MAX_TOMBSTONES) {
        break;
      }
      t = t.minus(oldest);
      e = e.minus(oldest.key());
    }
    return new GlobalVersions(region, peers, e, t);
  }

  /** A page of tombstones; {@code lastKey}: the last key looked at, null at the end. */
  public record Tombstones(List<Entry> entries, PrimaryKey lastKey) {}

  /** Tombstones in key order after {@code afterKey} (null: from the first): a new replica's
   *  copy must also learn what was deleted. At most {@code max} of them, and at most
   *  {@code 10 * max} versions looked at (live keys' versions are in the same map), so a
   *  page's work is bounded. */
  public Tombstones tombstonesAfter(PrimaryKey afterKey, int max) {
    List<Entry> out = new ArrayList<>();
    var tail = afterKey == null ? entries : entries.tailMap(afterKey, false);
    int looked = 0;
    PrimaryKey last = null;
    for (Entry e : tail.values()) {
      if (out.size() >= max || looked >= 10 * max) {
        return new Tombstones(out, last);
      }
      looked++;
      last = e.key();
      if (e.deleted()) {
        out.add(e);
      }
    }
    return new Tombstones(out, null);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GlobalVersions g && g.region.equals(region) && g.peers.equals(peers)
        && g.entries.equals(entries);
  }

  @Override
  public int hashCode() {
    return region.hashCode() * 31 + entries.hashCode();
  }
}
