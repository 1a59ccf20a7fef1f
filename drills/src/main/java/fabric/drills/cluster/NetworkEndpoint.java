package fabric.drills.cluster;

import java.util.List;

/**
 * A process as the network sees it: its name (which is also its cgroup's name), the address
 * it listens on, and the ports other processes connect to.
 */
public record NetworkEndpoint(String name, String address, List<Integer> inboundPorts) {
  public NetworkEndpoint {
    if (inboundPorts.isEmpty()) {
      throw new IllegalArgumentException(name + " has no inbound port");
    }
    inboundPorts = List.copyOf(inboundPorts);
  }
}
