package fabric.drills.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fabric.drills.cluster.FabricCluster.Cgroups;
import fabric.drills.cluster.NetworkEndpoint;
import java.util.List;
import org.junit.jupiter.api.Test;

class NftRulesetTest {
  private static final Cgroups CGROUPS = new Cgroups("unified/fabric-1a2b", 2);
  private static final NetworkEndpoint NODE_1 =
      new NetworkEndpoint("node-1", "127.0.0.1", List.of(2551));
  private static final NetworkEndpoint CASSANDRA_B =
      new NetworkEndpoint("cassandra-us-east-1b", "127.0.0.2", List.of(9042, 7000));

  @Test
  void aCutDropsEverythingTheSenderSendsToTheReceiversPorts() {
    String script = NftRuleset.render("drill_fabric_1a2b", CGROUPS,
        List.of(LinkFault.cut(NODE_1, CASSANDRA_B)));
    assertThat(script).startsWith("table inet drill_fabric_1a2b {\n")
        .contains("type filter hook output priority 0; policy accept;")
        .contains("socket cgroupv2 level 2 \"unified/fabric-1a2b/node-1\" ip daddr 127.0.0.2 "
            + "tcp dport { 9042, 7000 } drop comment \"node-1 -> cassandra-us-east-1b\"");
  }

  @Test
  void aLossyLinkDropsARandomShare() {
    String rule = NftRuleset.rule(CGROUPS, new LinkFault(CASSANDRA_B, NODE_1, 30));
    assertThat(rule).contains("\"unified/fabric-1a2b/cassandra-us-east-1b\" ip daddr "
        + "127.0.0.1 tcp dport { 2551 } numgen random mod 100 < 30 drop");
  }

  @Test
  void namesThatCouldBreakTheScriptAreRefused() {
    assertThatThrownBy(() -> NftRuleset.render("drill; flush ruleset", CGROUPS, List.of()))
        .hasMessageContaining("not an nft table name");
    NetworkEndpoint quoted = new NetworkEndpoint("x\" drop", "127.0.0.1", List.of(1));
    assertThatThrownBy(() -> NftRuleset.rule(CGROUPS, LinkFault.cut(quoted, NODE_1)))
        .hasMessageContaining("not a cgroup path");
    NetworkEndpoint hostname = new NetworkEndpoint("n", "localhost", List.of(1));
    assertThatThrownBy(() -> NftRuleset.rule(CGROUPS, LinkFault.cut(NODE_1, hostname)))
        .hasMessageContaining("not an IPv4 address");
    assertThatThrownBy(() -> LinkFault.cut(NODE_1, NODE_1))
        .hasMessageContaining("two processes");
  }
}
