package fabric.storage.registry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import fabric.core.serialization.CborSerializable;
import java.util.ArrayList;
import java.util.List;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;
import org.pcollections.TreePMap;

/**
 * Every claimed bucket name, sorted (ListBuckets returns names in order), and a count per
 * account for the bucket limit. Persistent maps: each event costs O(log n), not a copy.
 */
public final class RegistryState implements CborSerializable {
  private final TreePMap<String, BucketEntry> byName;
  private final PMap<String, Integer> countByAccount;

  private RegistryState(TreePMap<String, BucketEntry> byName, PMap<String, Integer> counts) {
    this.byName = byName;
    this.countByAccount = counts;
  }

  public static RegistryState empty() {
    return new RegistryState(TreePMap.empty(), HashTreePMap.empty());
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static RegistryState fromList(List<BucketEntry> entries) {
    RegistryState state = empty();
    for (BucketEntry e : entries == null ? List.<BucketEntry>of() : entries) {
      state = state.claim(e);
    }
    return state;
  }

  @JsonValue
  public List<BucketEntry> toList() {
    return new ArrayList<>(byName.values());
  }

  public BucketEntry get(String name) {
    return byName.get(name);
  }

  public int countFor(String account) {
    return countByAccount.getOrDefault(account, 0);
  }

  public List<BucketEntry> bucketsOf(String account) {
    List<BucketEntry> result = new ArrayList<>();
    for (BucketEntry e : byName.values()) {
      if (e.owner().equals(account)) {
        result.add(e);
      }
    }
    return result;
  }

  RegistryState claim(BucketEntry entry) {
    return new RegistryState(byName.plus(entry.name(), entry),
        countByAccount.plus(entry.owner(), countFor(entry.owner()) + 1));
  }

  RegistryState release(String name) {
    BucketEntry e = byName.get(name);
    if (e == null) {
      return this;
    }
    int left = countFor(e.owner()) - 1;
    return new RegistryState(byName.minus(name),
        left == 0 ? countByAccount.minus(e.owner()) : countByAccount.plus(e.owner(), left));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RegistryState other && byName.equals(other.byName);
  }

  @Override
  public int hashCode() {
    return byName.hashCode();
  }
}
