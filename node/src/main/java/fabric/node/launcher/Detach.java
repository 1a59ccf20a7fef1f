package fabric.node.launcher;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./fabric up --processes N --detach}: starts the supervisor as a background process
 * of its own (its own session via setsid, so neither Ctrl-C nor a closing terminal reaches
 * it; output to {@code logs/supervisor.log}), shows that log until the fabric is ready, and
 * returns, leaving the fabric running for scripts and drills. {@code ./fabric down} stops it.
 */
public final class Detach {
  public static final String BACKGROUND_FLAG = "--background";

  private Detach() {}

  public static int start(LaunchPlan plan) throws IOException, InterruptedException {
    try {
      StillRunning.refuse(plan);
      PortCheck.requireFree(plan);
    } catch (IllegalStateException e) {
      System.err.println("fabric up: " + e.getMessage());
      return 1;
    }
    Files.createDirectories(plan.logsDir());
    Path log = plan.supervisorLog();
    long offset = Files.exists(log) ? Files.size(log) : 0;
    Process supervisor = new ProcessBuilder(command(plan))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .start();
    System.out.println("fabric: the supervisor starts in the background as PID "
        + supervisor.pid() + " (log " + log + ")");
    while (true) {
      boolean alive = supervisor.isAlive(); // before reading, so no last line is missed
      String text = readFrom(log, offset);
      offset += text.getBytes(StandardCharsets.UTF_8).length;
      for (String line : text.split("\n", -1)) {
        if (line.isEmpty()) {
          continue;
        }
        System.out.println(line);
        if (line.startsWith("fabric is ready")) {
          System.out.println("fabric: running in the background (supervisor PID "
              + supervisor.pid() + "); ./fabric status, ./fabric down --data-dir "
              + plan.dataDir());
          return 0;
        }
      }
      if (!alive) {
        System.err.println("fabric up: the supervisor stopped during start-up with exit code "
            + supervisor.exitValue() + "; see " + log);
        return 1;
      }
      Thread.sleep(200);
    }
  }

  /** The same `up`, in the foreground of a new session, marked as running in the background. */
  static List<String> command(LaunchPlan plan) {
    List<String> cmd = new ArrayList<>();
    if (Files.isExecutable(NodeProcesses.SETSID)) {
      cmd.add(NodeProcesses.SETSID.toString()); // execs in place: the PID stays the supervisor's
    }
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The same JVM options as this launcher (e.g. -Dfabric.cassandra.lib, FABRIC_JAVA_OPTS).
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(NodeProcesses.MAIN_CLASS);
    cmd.addAll(plan.toArgs());
    cmd.add(BACKGROUND_FLAG);
    return cmd;
  }

  /** Whole lines appended since {@code offset} (a partial last line waits for the next read). */
  private static String readFrom(Path file, long offset) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long length = raf.length();
      if (length <= offset) {
        return "";
      }
      byte[] buf = new byte[(int) Math.min(length - offset, 1 << 20)];
      raf.seek(offset);
      raf.readFully(buf);
      String text = new String(buf, StandardCharsets.UTF_8);
      int lastNewline = text.lastIndexOf('\n');
      return lastNewline < 0 ? "" : text.substring(0, lastNewline + 1);
    }
  }
}
