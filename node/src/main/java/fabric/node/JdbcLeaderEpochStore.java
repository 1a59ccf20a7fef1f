package fabric.node;

import fabric.core.epoch.EpochHistory;
import fabric.core.epoch.LeaderEpoch;
import fabric.core.epoch.LeaderEpochStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Leader epochs in the embedded H2 journal database: the primary key (persistence id,
 * epoch) makes a claim atomic, whichever node of the JVM makes it.
 */
final class JdbcLeaderEpochStore implements LeaderEpochStore {
  private final String url;
  /** JDBC blocks: calls run here, never on an actor's thread. */
  private final Executor io;

  JdbcLeaderEpochStore(String url, Executor io) throws SQLException {
    this.url = url;
    this.io = io;
    try (Connection c = connect(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS leader_epochs (persistence_id VARCHAR(1024) NOT "
          + "NULL, epoch BIGINT NOT NULL, start_seq_nr BIGINT NOT NULL, node_id VARCHAR(255) "
          + "NOT NULL, PRIMARY KEY (persistence_id, epoch))");
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(url, "fabric", "");
  }

  @Override
  public CompletionStage<EpochHistory> load(String persistenceId) {
    return CompletableFuture.supplyAsync(() -> {
      try (Connection c = connect(); PreparedStatement st = c.prepareStatement(
          "SELECT epoch, start_seq_nr, node_id FROM leader_epochs WHERE persistence_id = ? "
              + "ORDER BY epoch DESC LIMIT " + EpochHistory.MAX_EPOCHS)) {
        st.setString(1, persistenceId);
        List<LeaderEpoch> epochs = new ArrayList<>();
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            epochs.add(new LeaderEpoch(rs.getLong(1), rs.getLong(2), rs.getString(3)));
          }
        }
        return new EpochHistory(epochs);
      } catch (SQLException e) {
        throw new IllegalStateException("loading the leader epochs of " + persistenceId, e);
      }
    }, io);
  }

  @Override
  public CompletionStage<Boolean> claim(String persistenceId, LeaderEpoch epoch) {
    return CompletableFuture.supplyAsync(() -> {
      try (Connection c = connect(); PreparedStatement st = c.prepareStatement(
          "INSERT INTO leader_epochs (persistence_id, epoch, start_seq_nr, node_id) "
              + "VALUES (?, ?, ?, ?)")) {
        st.setString(1, persistenceId);
        st.setLong(2, epoch.epoch());
        st.setLong(3, epoch.startSeqNr());
        st.setString(4, epoch.nodeId());
        st.executeUpdate();
        return true;
      } catch (SQLIntegrityConstraintViolationException taken) {
        return false;
      } catch (SQLException e) {
        throw new IllegalStateException("claiming leader epoch " + epoch.epoch() + " of "
            + persistenceId, e);
      }
    }, io);
  }
}
