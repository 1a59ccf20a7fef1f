package fabric.node.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cgroup (v2) per process the fabric starts, so that drills can cut the network between
 * chosen processes. On loopback every process shares 127.0.0.1 as its source address, so
 * addresses cannot tell their packets apart; nft's {@code socket cgroupv2} match can. Each
 * process enters its cgroup before java starts (a shell writes its own PID to
 * {@code cgroup.procs}, then execs java, keeping the PID): a socket keeps the cgroup it was
 * created in, so moving a running JVM would leave its open connections unmarked.
 *
 * <p>Without a writable cgroup v2 hierarchy under {@code /sys/fs/cgroup} (not root, or no
 * cgroup2 mount) the fabric runs as before and the network drills say why they cannot run.
 */
final class ProcessCgroups {
  private static final Logger log = LoggerFactory.getLogger(ProcessCgroups.class);
  /** nft resolves a {@code cgroupv2} path relative to this directory. */
  static final Path NFT_CGROUP_BASE = Path.of("/sys/fs/cgroup");
  private static final Path MOUNTS = Path.of("/proc/self/mounts");

  private final Path root;
  private final FabricState.Cgroups recorded;

  ProcessCgroups(Path root, FabricState.Cgroups recorded) {
    this.root = root;
    this.recorded = recorded;
  }

  /**
   * Creates the fabric's cgroup, named after the data dir so two fabrics never share one;
   * empty (with the reason logged) when this machine cannot give one.
   */
  static Optional<ProcessCgroups> create(Path dataDir) {
    Optional<Path> mount = cgroup2Mount();
    if (mount.isEmpty() || !mount.get().startsWith(NFT_CGROUP_BASE)) {
      log.info("no cgroup v2 hierarchy under {}: network fault drills are unavailable",
          NFT_CGROUP_BASE);
      return Optional.empty();
    }
    String name = "fabric-" + Integer.toHexString(dataDir.toAbsolutePath().normalize()
        .toString().hashCode());
    Path root = mount.get().resolve(name);
    try {
      Files.createDirectories(root);
    } catch (IOException | SecurityException e) {
      log.info("cannot create cgroup {} ({}): network fault drills are unavailable", root,
          e.toString());
      return Optional.empty();
    }
    if (!Files.isWritable(root.resolve("cgroup.procs"))) {
      log.info("cgroup {} is not writable: network fault drills are unavailable", root);
      return Optional.empty();
    }
    // Levels count from the hierarchy's root: the fabric's cgroup is 1, a process's is 2.
    return Optional.of(new ProcessCgroups(root, new FabricState.Cgroups(
        NFT_CGROUP_BASE.relativize(root).toString(), 2)));
  }

  /** What the state file records, for drills: the nft path of the root and the level. */
  FabricState.Cgroups recorded() {
    return recorded;
  }

  /**
   * The command prefix that runs {@code name}'s process in its own cgroup: a shell that
   * joins the cgroup and then execs the rest of the command line (its arguments).
   */
  List<String> launchPrefix(String name) {
    Path dir = root.resolve(name);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create cgroup " + dir + ": " + e, e);
    }
    return List.of("/bin/sh", "-c", "echo $$ > \"$0\" && exec \"$@\"",
        dir.resolve("cgroup.procs").toString());
  }

  /** Removes the fabric's cgroups once their processes are gone; best effort. */
  static void remove(FabricState.Cgroups cgroups) {
    if (cgroups == null) {
      return;
    }
    Path root = NFT_CGROUP_BASE.resolve(cgroups.nftRoot()).normalize();
    // Only ever a cgroup this class created: a damaged state file must not aim rmdir at
    // the machine's own cgroups.
    if (root.getFileName() == null || !root.getFileName().toString().startsWith("fabric-")
        || !Files.isDirectory(root)) {
      return;
    }
    // A cgroup directory is removed with rmdir even though it lists control files.
    try (DirectoryStream<Path> children = Files.newDirectoryStream(root, Files::isDirectory)) {
      for (Path child : children) {
        Files.deleteIfExists(child);
      }
      Files.deleteIfExists(root);
    } catch (IOException e) {
      log.warn("could not remove cgroup {}: {}", root, e.toString());
    }
  }

  private static Optional<Path> cgroup2Mount() {
    try {
      for (String line : Files.readAllLines(MOUNTS, StandardCharsets.UTF_8)) {
        String[] fields = line.split(" ");
        if (fields.length > 2 && fields[2].equals("cgroup2")) {
          return Optional.of(Path.of(fields[1]));
        }
      }
    } catch (IOException e) {
      // not Linux: no cgroups
    }
    return Optional.empty();
  }
}
