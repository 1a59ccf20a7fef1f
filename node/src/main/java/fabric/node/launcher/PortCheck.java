package fabric.node.launcher;

import fabric.node.launcher.LaunchPlan.NodeSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Checks before starting anything that every port the fabric will bind is free, so that a
 * clash (another fabric, another Cassandra) is one clear message instead of a node that
 * fails and restarts in a loop.
 */
final class PortCheck {
  private PortCheck() {}

  static void requireFree(LaunchPlan plan) {
    for (NodeSpec n : plan.nodes()) {
      requireFree(plan.host(), n.grpcPort(), "gRPC port of " + n.id(), "--grpc-port");
      requireFree(plan.host(), n.managementPort(), "management port of " + n.id(),
          "--management-port");
      requireFree(plan.host(), n.remotingPort(), "remoting port of " + n.id(),
          "--remoting-port");
      if (plan.linkControl()) {
        requireFree(plan.host(), plan.remotingBindPort(n), "remoting bind port of " + n.id()
            + " behind its link proxy", "--remoting-port");
      }
    }
    for (int i = 0; i < plan.azs().size(); i++) {
      String address = "127.0.0." + (i + 1); // LocalCassandraCluster's layout
      String who = "Cassandra of " + plan.azs().get(i);
      requireFree(address, plan.cassandraPort(), "CQL port of " + who, "--cassandra-port");
      requireFree(address, plan.cassandraStoragePort(), "storage port of " + who,
          "--cassandra-storage-port");
    }
  }

  private static void requireFree(String host, int port, String what, String option) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true); // as the servers themselves bind: TIME_WAIT is no clash
      s.bind(new java.net.InetSocketAddress(InetAddress.getByName(host), port));
    } catch (IOException e) {
      throw new IllegalStateException(host + ":" + port + " (" + what + ") is in use: is "
          + "another fabric or Cassandra running? Choose other ports with " + option);
    }
  }
}
