package fabric.core.cassandra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Finds the folder holding the Cassandra server jars (fetched from Maven Central by
 * {@code tools/cassandra/fetch.sh}). Order: explicit argument, system property
 * {@value #LIB_PROPERTY}, env {@value #LIB_ENV}, then {@code tools/cassandra/target/lib} of the
 * enclosing checkout, fetching it first if empty so a test on a fresh clone just works.
 */
public final class CassandraJars {

  public static final String LIB_PROPERTY = "fabric.cassandra.lib";
  public static final String LIB_ENV = "FABRIC_CASSANDRA_LIB";
  static final String TOOL_DIR = "tools/cassandra";
  private static final long FETCH_TIMEOUT_MINUTES = 15;

  private CassandraJars() {}

  /** @param explicit a lib dir given by the caller, or null */
  public static Path resolve(Path explicit) {
    if (explicit != null) {
      return requireJars(explicit, "the lib dir given to the builder");
    }
    String prop = System.getProperty(LIB_PROPERTY);
    if (prop != null && !prop.isBlank()) {
      return requireJars(Path.of(prop), "system property " + LIB_PROPERTY);
    }
    String env = System.getenv(LIB_ENV);
    if (env != null && !env.isBlank()) {
      return requireJars(Path.of(env), "env " + LIB_ENV);
    }
    Path repo = findRepoRoot(Path.of("").toAbsolutePath());
    Path lib = repo.resolve(TOOL_DIR).resolve("target/lib");
    if (!hasJars(lib)) {
      fetch(repo);
    }
    return requireJars(lib, TOOL_DIR + "/fetch.sh");
  }

  /** Walks up from {@code start} to the checkout that holds tools/cassandra/pom.xml. */
  static Path findRepoRoot(Path start) {
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(TOOL_DIR).resolve("pom.xml"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "no Cassandra jars: set -D" + LIB_PROPERTY + " or " + LIB_ENV
            + ", or run from inside the fabric checkout (no " + TOOL_DIR
            + "/pom.xml above " + start + ")");
  }

  static boolean hasJars(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.anyMatch(p -> p.getFileName().toString().endsWith(".jar"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path requireJars(Path dir, String source) {
    Path abs = dir.toAbsolutePath().normalize();
    if (!hasJars(abs)) {
      // Don't fetch into a folder someone named explicitly: it is likely a typo.
      throw new IllegalStateException("no Cassandra jars in " + abs + " (from " + source + ")");
    }
    return abs;
  }

  /**
   * Synchronized so parallel tests in one JVM fetch once; fetch.sh itself guards against
   * other JVMs. Maven's progress goes to our stderr so a slow first run is visibly busy.
   */
  private static synchronized void fetch(Path repo) {
    Path lib = repo.resolve(TOOL_DIR).resolve("target/lib");
    if (hasJars(lib)) {
      return;
    }
    Path script = repo.resolve(TOOL_DIR).resolve("fetch.sh");
    ProcessBuilder pb = new ProcessBuilder(List.of("bash", script.toString()))
        .directory(repo.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      // stdout is only the lib dir path, so reading it fully cannot block the child.
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(FETCH_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException(script + " did not finish in "
            + FETCH_TIMEOUT_MINUTES + " min");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(script + " failed with exit code " + p.exitValue()
            + " (is Maven on the PATH and Maven Central reachable?) output: " + out.strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while fetching Cassandra jars", e);
    }
  }
}
