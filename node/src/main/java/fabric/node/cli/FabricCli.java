package fabric.node.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./fabric}: runs the fabric. */
@Command(name = "fabric", mixinStandardHelpOptions = true, version = "fabric 0.1.0",
    description = {
        "A distributed, actor-based AWS data plane: S3 (more services to come)",
        "as persistent, cluster-sharded actors on nodes in simulated AZs."},
    subcommands = {UpCommand.class, DownCommand.class, NodeCommand.class, StatusCommand.class,
        CommandLine.HelpCommand.class})
public final class FabricCli implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    int code = new CommandLine(new FabricCli()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }
}
