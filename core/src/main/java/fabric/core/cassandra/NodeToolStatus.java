package fabric.core.cassandra;

import java.util.ArrayList;
import java.util.List;

/** Reads the output of {@code nodetool status}: which node is in which DC, up or down. */
public final class NodeToolStatus {

  private NodeToolStatus() {}

  /**
   * nodetool status prints a "Datacenter: X" header per DC, then rows like
   * {@code UN  127.0.0.2  70 KiB  16  ?  <host id>  rack1}. Returns one
   * {@code "<dc> <state> <address>"} string per row, e.g. {@code "us-east-1b UN 127.0.0.2"},
   * so callers can check "node X is Up/Normal in DC Y" with a plain contains().
   */
  public static List<String> parse(String out) {
    List<String> rows = new ArrayList<>();
    String dc = "?";
    for (String line : out.split("\n")) {
      String l = line.strip();
      if (l.startsWith("Datacenter:")) {
        dc = l.substring("Datacenter:".length()).strip();
      } else if (l.matches("^[UD][NLJM]\\s+\\S+.*")) {
        String[] parts = l.split("\\s+");
        String addr = parts[1].replaceFirst(":\\d+$", ""); // with -pp it prints ip:port
        rows.add(dc + " " + parts[0] + " " + addr);
      }
    }
    return rows;
  }
}
