package fabric.gateway.grpc;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC endpoint: the fabric's services plus the standard health and reflection
 * services. Service-agnostic on purpose: S3, SQS, DynamoDB and Kinesis each arrive as a
 * {@link BindableService} that binds its own interceptors (as {@link S3GrpcService} does
 * with {@link AccountInterceptor}), and health reports each of them by its full name.
 */
public final class GrpcServer {
  private static final Logger log = LoggerFactory.getLogger(GrpcServer.class);

  /** PutObject chunks up to this size are accepted; larger messages are refused by gRPC. */
  public static final int MAX_INBOUND_MESSAGE_BYTES = 16 * 1024 * 1024;
  /** Per-stream window: enough to keep a fast link busy during a large PUT or GET. */
  public static final int FLOW_CONTROL_WINDOW_BYTES = 8 * 1024 * 1024;

  private final String host;
  private final int requestedPort;
  private final List<ServerServiceDefinition> services;
  private final HealthStatusManager health = new HealthStatusManager();
  private final List<String> healthNames = new ArrayList<>();
  private Server server;

  /**
   * @param port 0 picks a free port (see {@link #port()})
   * @param services e.g. {@code List.of(new S3GrpcService(s3, blobIo, reads))}
   */
  public GrpcServer(String host, int port, List<? extends BindableService> services) {
    this.host = host;
    this.requestedPort = port;
    List<ServerServiceDefinition> bound = new ArrayList<>();
    services.forEach(service -> bound.add(service.bindService()));
    this.services = List.copyOf(bound);
    healthNames.add(HealthStatusManager.SERVICE_NAME_ALL_SERVICES);
    for (ServerServiceDefinition service : this.services) {
      healthNames.add(service.getServiceDescriptor().getName());
    }
  }

  /** Binds and starts serving; health reports SERVING for "" and every service. */
  public synchronized GrpcServer start() {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    NettyServerBuilder builder = NettyServerBuilder
        .forAddress(new InetSocketAddress(host, requestedPort))
        .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES)
        .flowControlWindow(FLOW_CONTROL_WINDOW_BYTES)
        // Handlers never block (blob I/O runs on its own executor, entities answer
        // asynchronously), so they run on the transport threads: one thread hop less per
        // call, which is most of a small request's cost on a 2-core machine.
        .directExecutor()
        .addService(health.getHealthService())
        .addService(ProtoReflectionServiceV1.newInstance());
    services.forEach(builder::addService);
    try {
      server = builder.build().start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen for gRPC on " + host + ":" + requestedPort,
          e);
    }
    healthNames.forEach(name -> health.setStatus(name, ServingStatus.SERVING));
    log.info("gRPC listening on {}:{} with {}", host, port(), healthNames.subList(1,
        healthNames.size()));
    return this;
  }

  /** The bound port (the real one when started with port 0). */
  public synchronized int port() {
    if (server == null) {
      throw new IllegalStateException("not started");
    }
    return server.getPort();
  }

  /**
   * Tells health checkers (load balancers, Kubernetes probes) to stop sending traffic while
   * calls in flight still finish. Call it some seconds before {@link #shutdown(Duration)}
   * when the probe period allows.
   */
  public synchronized void markNotServing() {
    healthNames.forEach(name -> health.setStatus(name, ServingStatus.NOT_SERVING));
  }

  /**
   * Stops accepting calls, lets calls in flight finish for up to {@code grace}, then cancels
   * what is left. Returns once the server has terminated (or a further second has passed).
   */
  public synchronized void shutdown(Duration grace) {
    if (server == null) {
      return;
    }
    markNotServing();
    health.enterTerminalState();
    server.shutdown();
    try {
      if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        log.info("gRPC calls still running after {}: cancelling them", grace);
        server.shutdownNow();
        server.awaitTermination(1, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** Cuts every connection at once, as a crashing node would. */
  public synchronized void shutdownNow() {
    if (server == null) {
      return;
    }
    health.enterTerminalState();
    server.shutdownNow();
  }
}
