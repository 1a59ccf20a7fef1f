package fabric.node.cli;

import com.typesafe.config.ConfigFactory;
import fabric.node.FabricNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code ./fabric node}: one node in this JVM, configured from {@code fabric.*} system
 * properties, environment variables (FABRIC_AZ, FABRIC_NODE_ID, FABRIC_DATA_DIR,
 * FABRIC_JOURNAL) or a config file ({@code -Dconfig.file=...}): the building block of a
 * multi-process cluster.
 */
@Command(name = "node", mixinStandardHelpOptions = true,
    description = {"Starts a single node configured by -Dfabric.* properties or FABRIC_*",
        "environment variables (see node/src/main/resources/reference.conf)."})
final class NodeCommand implements Callable<Integer> {
  @Override
  public Integer call() throws Exception {
    FabricNode node = FabricNode.start(ConfigFactory.load());
    node.system().getWhenTerminated().toCompletableFuture().join();
    if (node.settings().exitJvmWhenDown()) {
      // Pekko calls System.exit right after termination (code -1 when the node was downed).
      // Returning first could end the JVM with 0 and hide why the node stopped; a SIGTERM
      // needs no exit code from here either: the JVM is already exiting.
      Thread.sleep(30_000);
      return 1;
    }
    return 0;
  }
}
