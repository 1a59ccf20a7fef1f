package fabric.dynamo.partition;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import fabric.core.serialization.CborSerializable;
import fabric.dynamo.model.Item;
import fabric.dynamo.model.PrimaryKey;
import java.util.ArrayList;
import java.util.List;
import org.pcollections.TreePMap;

/**
 * The items of a partition that a transaction has prepared: each locked until the
 * transaction's decision reaches the partition. A locked item keeps its committed value for
 * readers and refuses other writers (TransactionConflict); the lock holds what the
 * transaction will write.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.NONE)
public final class TxLocks {
  /**
   * @param newItem what a commit writes (null for a delete or a condition check)
   * @param delete a commit deletes the item
   */
  public record Lock(String txId, PrimaryKey key, Item newItem, boolean delete, long atMillis)
      implements CborSerializable {
    boolean checkOnly() {
      return newItem == null && !delete;
    }
  }

  private static final TxLocks EMPTY = new TxLocks(TreePMap.empty(PrimaryKey.ORDER));
  private final TreePMap<PrimaryKey, Lock> locks;

  private TxLocks(TreePMap<PrimaryKey, Lock> locks) {
    this.locks = locks;
  }

  public static TxLocks empty() {
    return EMPTY;
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static TxLocks fromList(List<Lock> list) {
    TxLocks l = EMPTY;
    for (Lock lock : list == null ? List.<Lock>of() : list) {
      l = l.plus(lock);
    }
    return l;
  }

  @JsonValue
  public List<Lock> toList() {
    return new ArrayList<>(locks.values());
  }

  public Lock of(PrimaryKey key) {
    return locks.isEmpty() ? null : locks.get(key);
  }

  TxLocks plus(Lock lock) {
    return new TxLocks(locks.plus(lock.key(), lock));
  }

  List<Lock> ofTransaction(String txId) {
    return locks.values().stream().filter(l -> l.txId().equals(txId)).toList();
  }

  TxLocks minusTransaction(String txId) {
    TreePMap<PrimaryKey, Lock> out = locks;
    for (Lock l : ofTransaction(txId)) {
      out = out.minus(l.key());
    }
    return new TxLocks(out);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TxLocks other && locks.equals(other.locks);
  }

  @Override
  public int hashCode() {
    return locks.hashCode();
  }
}
