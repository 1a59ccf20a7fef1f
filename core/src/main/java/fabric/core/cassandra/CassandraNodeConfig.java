package fabric.core.cassandra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything that makes one local Cassandra node different from another. Immutable, with
 * ports already resolved: a node restarted from the same config (after {@code kill()}) comes
 * back on the same ports and data, which is what crash tests need.
 *
 * <p>A future 3-node cluster builds one config per simulated AZ: listen addresses
 * 127.0.0.1/.2/.3, the same {@code seeds}, and per-node {@code datacenter}/{@code rack}.
 */
public final class CassandraNodeConfig {

  /** No JMX port: nodetool cannot connect, but the node starts faster and binds one port less. */
  public static final int NO_JMX = -1;

  private final Path dataDir;
  private final Path libDir;
  private final String clusterName;
  private final String listenAddress;
  private final int nativePort;
  private final int storagePort;
  private final int jmxPort;
  private final String seeds;
  private final String datacenter;
  private final String rack;
  private final String initialHeap;
  private final String maxHeap;
  private final Duration startupTimeout;
  private final List<String> extraJvmArgs;
  private final List<String> launchPrefix;

  private CassandraNodeConfig(Builder b) {
    this.dataDir = Objects.requireNonNull(b.dataDir, "dataDir is required").toAbsolutePath();
    this.libDir = b.libDir == null ? null : b.libDir.toAbsolutePath();
    this.clusterName = b.clusterName;
    this.listenAddress = b.listenAddress;
    // Resolve port 0 here, once: the ports must stay the same across restarts of the node.
    this.nativePort = b.nativePort == 0 ? freePort(b.listenAddress, -1) : b.nativePort;
    this.storagePort = b.storagePort == 0 ? freePort(b.listenAddress, nativePort) : b.storagePort;
    this.jmxPort = b.jmxPort == 0 ? freePort(b.listenAddress, nativePort, storagePort) : b.jmxPort;
    // A single node seeds itself; a cluster passes the first node's address:port.
    this.seeds = b.seeds != null ? b.seeds : listenAddress + ":" + storagePort;
    this.datacenter = b.datacenter;
    this.rack = b.rack;
    this.initialHeap = b.initialHeap;
    this.maxHeap = b.maxHeap;
    this.startupTimeout = b.startupTimeout;
    this.extraJvmArgs = List.copyOf(b.extraJvmArgs);
    this.launchPrefix = List.copyOf(b.launchPrefix);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Path dataDir() { return dataDir; }
  /** The explicitly given lib dir, or null to let {@link CassandraJars} find one. */
  public Path libDir() { return libDir; }
  public String clusterName() { return clusterName; }
  public String listenAddress() { return listenAddress; }
  public int nativePort() { return nativePort; }
  public int storagePort() { return storagePort; }
  public int jmxPort() { return jmxPort; }
  public String seeds() { return seeds; }
  public String datacenter() { return datacenter; }
  public String rack() { return rack; }
  public String initialHeap() { return initialHeap; }
  public String maxHeap() { return maxHeap; }
  public Duration startupTimeout() { return startupTimeout; }
  public List<String> extraJvmArgs() { return extraJvmArgs; }
  /** Runs before java and must exec it (e.g. a cgroup placement); empty = java directly. */
  public List<String> launchPrefix() { return launchPrefix; }

  public InetSocketAddress contactPoint() {
    return new InetSocketAddress(listenAddress, nativePort);
  }

  /**
   * Asks the OS for a free port on the address the node will bind, so parallel test runs do
   * not clash. There is a small window before Cassandra binds it; ports already chosen for
   * this node are skipped because the OS may hand the same ephemeral port out twice.
   */
  static int freePort(String address, int... taken) {
    for (int attempt = 0; attempt < 20; attempt++) {
      int port;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(address))) {
        port = socket.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot find a free port on " + address, e);
      }
      boolean clash = false;
      for (int t : taken) {
        clash |= t == port;
      }
      if (!clash) {
        return port;
      }
    }
    throw new IllegalStateException("no distinct free port found on " + address);
  }

  /** Defaults suit one small test node on a 2-core machine. */
  public static final class Builder {
    private Path dataDir;
    private Path libDir;
    private String clusterName = "fabric-local";
    private String listenAddress = "127.0.0.1";
    private int nativePort = 0;
    private int storagePort = 0;
    private int jmxPort = NO_JMX;
    private String seeds;
    private String datacenter = "dc1";
    private String rack = "rack1";
    private String initialHeap = "256m";
    private String maxHeap = "768m";
    private Duration startupTimeout = Duration.ofSeconds(120);
    private final List<String> extraJvmArgs = new ArrayList<>();
    private List<String> launchPrefix = List.of();

    private Builder() {}

    /** Holds the yaml, the log and all Cassandra directories. Required. */
    public Builder dataDir(Path dir) { this.dataDir = dir; return this; }
    /** Folder with the server jars; unset = {@link CassandraJars#resolve(Path)} finds it. */
    public Builder libDir(Path dir) { this.libDir = dir; return this; }
    /** Nodes gossip only with nodes of the same cluster name. */
    public Builder clusterName(String name) { this.clusterName = name; return this; }
    /** listen_address and rpc_address; e.g. 127.0.0.2 for a second node on one machine. */
    public Builder listenAddress(String address) { this.listenAddress = address; return this; }
    /** CQL port; 0 (default) picks a free one. */
    public Builder nativePort(int port) { this.nativePort = checkPort(port); return this; }
    /** Gossip/internode port; 0 (default) picks a free one. */
    public Builder storagePort(int port) { this.storagePort = checkPort(port); return this; }
    /** JMX port for nodetool; {@link #NO_JMX} (default) for none, 0 picks a free one. */
    public Builder jmxPort(int port) {
      this.jmxPort = port == NO_JMX ? NO_JMX : checkPort(port);
      return this;
    }
    /** Comma-separated host:port list; unset = the node seeds itself. */
    public Builder seeds(String seeds) { this.seeds = seeds; return this; }
    public Builder datacenter(String dc) { this.datacenter = requireToken(dc); return this; }
    /** The simulated AZ, e.g. "us-east-1a". */
    public Builder rack(String rack) { this.rack = requireToken(rack); return this; }
    /** JVM sizes as for -Xms/-Xmx, e.g. "256m", "1g". */
    public Builder heap(String initial, String max) {
      this.initialHeap = Objects.requireNonNull(initial);
      this.maxHeap = Objects.requireNonNull(max);
      return this;
    }
    public Builder startupTimeout(Duration timeout) {
      this.startupTimeout = Objects.requireNonNull(timeout);
      return this;
    }
    /** Extra JVM arguments (e.g. -Dcassandra.ring_delay_ms=...), appended after ours. */
    public Builder jvmArg(String arg) { this.extraJvmArgs.add(arg); return this; }
    /**
     * A command that runs first and execs the java command line given as its arguments,
     * keeping the PID (e.g. a shell that moves itself into a cgroup); default none.
     */
    public Builder launchPrefix(List<String> prefix) {
      this.launchPrefix = List.copyOf(prefix);
      return this;
    }

    public CassandraNodeConfig build() {
      return new CassandraNodeConfig(this);
    }

    private static int checkPort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      return port;
    }

    // The rackdc file is a properties file read verbatim; odd characters would silently
    // turn into a different dc/rack name than the driver is told to use.
    private static String requireToken(String value) {
      if (value == null || !value.matches("[A-Za-z0-9_.-]+")) {
        throw new IllegalArgumentException("dc/rack must match [A-Za-z0-9_.-]+: " + value);
      }
      return value;
    }
  }
}
