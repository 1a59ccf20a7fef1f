package fabric.drills.cli;

import picocli.CommandLine;

/** Entry point of the drills jar: {@code ./fabric drill NAME [options]}. */
public final class DrillCli {
  private DrillCli() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new DrillCommand()).execute(args));
  }
}
