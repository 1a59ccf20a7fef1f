package fabric.drills.net;

import fabric.drills.cluster.FabricCluster.Cgroups;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The nft script for a set of link faults: one table of its own with an output-hook chain,
 * one rule per faulty link. Every process of the fabric sends from 127.0.0.1 on loopback, so
 * the sender is told apart by its socket's cgroup (each process runs in its own), the
 * receiver by address and port. Dropping a link's packets at the sender's output hook stops
 * data and handshakes alike, on new and established connections.
 */
public final class NftRuleset {
  private static final Pattern SAFE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
  private static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9_./-]+");
  private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

  private NftRuleset() {}

  /** A script for {@code nft -f}: creates table {@code inet <table>} with the rules. */
  public static String render(String table, Cgroups cgroups, List<LinkFault> faults) {
    if (!SAFE_NAME.matcher(table).matches()) {
      throw new IllegalArgumentException("not an nft table name: " + table);
    }
    StringBuilder out = new StringBuilder();
    out.append("table inet ").append(table).append(" {\n");
    out.append("  chain output {\n");
    out.append("    type filter hook output priority 0; policy accept;\n");
    for (LinkFault f : faults) {
      out.append("    ").append(rule(cgroups, f)).append('\n');
    }
    out.append("  }\n}\n");
    return out.toString();
  }

  static String rule(Cgroups cgroups, LinkFault f) {
    String cgroup = cgroups.pathOf(f.from().name());
    if (!SAFE_PATH.matcher(cgroup).matches()) {
      throw new IllegalArgumentException("not a cgroup path nft can take: " + cgroup);
    }
    String address = f.to().address();
    if (!IPV4.matcher(address).matches()) {
      throw new IllegalArgumentException(f.to().name() + " listens on " + address
          + ", not an IPv4 address");
    }
    String ports = f.to().inboundPorts().stream().map(String::valueOf)
        .collect(Collectors.joining(", "));
    String verdict = f.lossPercent() == LinkFault.CUT ? "drop"
        : "numgen random mod 100 < " + f.lossPercent() + " drop";
    return "socket cgroupv2 level " + cgroups.level() + " \"" + cgroup + "\" ip daddr "
        + address + " tcp dport { " + ports + " } " + verdict
        + " comment \"" + f.from().name() + " -> " + f.to().name() + "\"";
  }
}
