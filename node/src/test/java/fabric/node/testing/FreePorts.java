package fabric.node.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/** Distinct free loopback ports, so test clusters never clash with each other or ./fabric up. */
public final class FreePorts {
  private static final Set<Integer> handedOut = new HashSet<>();

  private FreePorts() {}

  /** The first of {@code count} consecutive free ports (for a base port + i layout). */
  public static synchronized int range(int count) {
    for (int attempt = 0; attempt < 100; attempt++) {
      int base = next();
      if (base + count > 65535) {
        continue;
      }
      boolean free = true;
      for (int p = base + 1; p < base + count && free; p++) {
        try (ServerSocket s = new ServerSocket(p)) {
          free = !handedOut.contains(p);
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) {
        for (int p = base + 1; p < base + count; p++) {
          handedOut.add(p);
        }
        return base;
      }
    }
    throw new IllegalStateException("no " + count + " consecutive free ports");
  }

  /**
   * A free port below the kernel's ephemeral range (32768-60999 here): a port the OS handed
   * out as "free" from that range can be taken a moment later by an outgoing connection (a
   * gRPC client, the Cassandra driver) before the test's server binds it.
   */
  public static synchronized int next() {
    for (int attempt = 0; attempt < 1_000; attempt++) {
      int port = FIRST + RANDOM.nextInt(LAST - FIRST);
      if (handedOut.contains(port)) {
        continue;
      }
      try (ServerSocket s = new ServerSocket(port)) {
        handedOut.add(port);
        return port;
      } catch (IOException e) {
        // in use: try another
      }
    }
    throw new IllegalStateException("no free port in " + FIRST + ".." + LAST);
  }

  private static final int FIRST = 20_000;
  private static final int LAST = 32_000;
  private static final java.util.Random RANDOM = new java.util.Random();
}
