package fabric.node;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import fabric.core.epoch.EpochHistory;
import fabric.core.epoch.LeaderEpoch;
import fabric.core.epoch.LeaderEpochStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Leader epochs in Cassandra, claimed with a lightweight transaction (INSERT ... IF NOT
 * EXISTS at SERIAL consistency: Paxos over the replicas of every AZ, so the claim holds
 * cluster-wide and a partitioned AZ cannot make one) and read at SERIAL, so a load sees
 * every claim that won.
 */
final class CassandraLeaderEpochStore implements LeaderEpochStore {
  static final String TABLE = "leader_epochs";

  private final CqlSession session;
  private final PreparedStatement select;
  private final PreparedStatement insert;
  private final Duration timeout;

  /** The table: newest epoch first, so the bounded load reads the ones that matter. */
  static String createTable(String keyspace) {
    return "CREATE TABLE IF NOT EXISTS " + keyspace + "." + TABLE + " (persistence_id text, "
        + "epoch bigint, start_seq_nr bigint, node_id text, PRIMARY KEY (persistence_id, "
        + "epoch)) WITH CLUSTERING ORDER BY (epoch DESC)";
  }

  CassandraLeaderEpochStore(CqlSession session, String keyspace, Duration timeout) {
    this.session = session;
    this.timeout = timeout;
    this.select = session.prepare("SELECT epoch, start_seq_nr, node_id FROM " + keyspace + "."
        + TABLE + " WHERE persistence_id = ? LIMIT " + EpochHistory.MAX_EPOCHS);
    this.insert = session.prepare("INSERT INTO " + keyspace + "." + TABLE
        + " (persistence_id, epoch, start_seq_nr, node_id) VALUES (?, ?, ?, ?) IF NOT EXISTS");
  }

  @Override
  public CompletionStage<EpochHistory> load(String persistenceId) {
    return session.executeAsync(select.bind(persistenceId)
            .setConsistencyLevel(ConsistencyLevel.SERIAL).setTimeout(timeout))
        .thenApply(rs -> {
          List<LeaderEpoch> epochs = new ArrayList<>();
          // One page holds them all: the load is bounded by MAX_EPOCHS.
          for (Row row : rs.currentPage()) {
            epochs.add(new LeaderEpoch(row.getLong(0), row.getLong(1), row.getString(2)));
          }
          return new EpochHistory(epochs);
        });
  }

  @Override
  public CompletionStage<Boolean> claim(String persistenceId, LeaderEpoch epoch) {
    return session.executeAsync(insert.bind(persistenceId, epoch.epoch(), epoch.startSeqNr(),
                epoch.nodeId())
            .setSerialConsistencyLevel(ConsistencyLevel.SERIAL)
            .setConsistencyLevel(ConsistencyLevel.QUORUM).setTimeout(timeout))
        .thenApply(rs -> rs.wasApplied());
  }
}
