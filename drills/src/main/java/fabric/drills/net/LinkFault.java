package fabric.drills.net;

import fabric.drills.cluster.NetworkEndpoint;

/**
 * What happens to the packets {@code from} sends to {@code to}'s inbound ports: all of them
 * dropped (a cut), or a share of them (a lossy link). One direction only; a partition is two.
 */
public record LinkFault(NetworkEndpoint from, NetworkEndpoint to, int lossPercent) {
  public static final int CUT = 100;

  public LinkFault {
    if (lossPercent < 1 || lossPercent > CUT) {
      throw new IllegalArgumentException("loss must be 1..100 %, got " + lossPercent);
    }
    if (from.name().equals(to.name())) {
      throw new IllegalArgumentException("a link needs two processes, got " + from.name()
          + " twice");
    }
  }

  public static LinkFault cut(NetworkEndpoint from, NetworkEndpoint to) {
    return new LinkFault(from, to, CUT);
  }
}
