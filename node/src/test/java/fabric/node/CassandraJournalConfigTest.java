package fabric.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The journal's driver settings that decide whether a node survives its own AZ's Cassandra
 * node going down (found by the disk-full drill).
 */
class CassandraJournalConfigTest {
  private final Config config = CassandraJournal.config(new NodeSettings.CassandraSettings(
      List.of("127.0.0.1:9042"), "us-east-1a", "fabric",
      "{'class': 'NetworkTopologyStrategy', 'us-east-1a': 1}"));

  @Test
  void theLoadBalancerSeesQuorumSoItFailsOverToOtherAzsWhenTheLocalOneIsDown() {
    assertThat(config.getInt("datastax-java-driver.advanced.load-balancing-policy.dc-failover"
        + ".max-nodes-per-remote-dc")).isPositive();
    assertThat(config.getString("datastax-java-driver.basic.request.consistency"))
        .isEqualTo("QUORUM");
  }

  @Test
  void snapshotsAreWrittenAndReadAtQuorumLikeTheEvents() {
    assertThat(config.getString("datastax-java-driver.profiles."
        + "pekko-persistence-cassandra-snapshot-profile.basic.request.consistency"))
        .isEqualTo("QUORUM");
  }
}
