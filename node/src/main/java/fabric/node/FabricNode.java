package fabric.node;

import com.datastax.oss.driver.api.core.CqlSession;
import com.typesafe.config.Config;
import fabric.core.blob.BlobStore;
import fabric.core.entity.EntityClient;
import fabric.core.epoch.LeaderEpochs;
import fabric.gateway.grpc.SqsGrpcService;
import fabric.queue.service.QueueService;
import fabric.core.topology.AzDirectory;
import fabric.core.replication.ReadConsistency;
import fabric.core.replication.ReplicationStatus;
import fabric.core.replication.ReplicationStatusReporter;
import fabric.node.management.NodeMetrics;
import fabric.gateway.grpc.GrpcServer;
import fabric.gateway.grpc.ReadRouting;
import fabric.gateway.grpc.S3GrpcService;
import fabric.node.management.ClusterView;
import fabric.node.management.ManagementServer;
import fabric.storage.service.S3Service;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fabric node: a Pekko cluster member in one AZ that hosts sharded resource leaders,
 * serves gRPC and the management port. {@link #stop()} leaves the cluster gracefully
 * (shards handed off first); {@link #crash()} vanishes without a word, as a killed process
 * would, for failover tests.
 */
public final class FabricNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FabricNode.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  /** Every sharded resource type of a node: the cluster view and readiness cover them all. */
  static final List<String> ENTITY_TYPES = java.util.stream.Stream.of(S3Wiring.ENTITY_TYPES,
      SqsWiring.ENTITY_TYPES, DynamoWiring.ENTITY_TYPES, KinesisWiring.ENTITY_TYPES)
      .flatMap(List::stream).toList();

  private final NodeSettings settings;
  private final ActorSystem<Void> system;
  private final BlobStore blobs;
  private final CqlSession cqlSession;
  private final ExecutorService blobIo;
  private final ScheduledExecutorService scheduler;
  private final GrpcServer grpc;
  private final ServerBinding management;
  private final RegionRegistration registration;
  private final AtomicBoolean resourcesOpen = new AtomicBoolean(true);

  private FabricNode(NodeSettings settings, ActorSystem<Void> system, BlobStore blobs,
      CqlSession cqlSession, ExecutorService blobIo, ScheduledExecutorService scheduler,
      GrpcServer grpc, ServerBinding management, RegionRegistration registration) {
    this.registration = registration;
    this.settings = settings;
    this.system = system;
    this.blobs = blobs;
    this.cqlSession = cqlSession;
    this.blobIo = blobIo;
    this.scheduler = scheduler;
    this.grpc = grpc;
    this.management = management;
  }

  /** Starts a node from {@code fabric.*} configuration (see node's reference.conf). */
  public static FabricNode start(Config config) throws Exception {
    return start(config, java.time.Clock.systemUTC());
  }

  /**
   * As {@link #start(Config)}, with the wall clock Kinesis reads (its retention and iterator
   * expiry are hours and minutes: tests move this clock instead of waiting). Monotonic time
   * (timers, failure detection) stays real.
   */
  public static FabricNode start(Config config, java.time.Clock clock) throws Exception {
    NodeSettings settings = NodeSettings.from(config);
    Config pekko = PekkoConfig.forNode(settings, config);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), PekkoConfig.SYSTEM_NAME,
        pekko);
    try {
      return assemble(settings, pekko, system, clock);
    } catch (Exception | Error e) {
      system.terminate();
      throw e;
    }
  }

  private static FabricNode assemble(NodeSettings settings, Config config,
      ActorSystem<Void> system, java.time.Clock clock) throws Exception {
    String nodeId = settings.location().nodeId();
    CqlSession session = null;
    BlobStore blobs;
    if (settings.journal() == NodeSettings.Journal.EMBEDDED) {
      EmbeddedJournal.acquire(settings.dataDir());
      EmbeddedJournal.createSchema(settings.dataDir());
      blobs = S3Wiring.embeddedBlobStore(config, settings.dataDir());
    } else {
      session = CassandraJournal.session(settings.cassandra());
      CassandraSchema.create(session, system, settings.cassandra());
      blobs = S3Wiring.cassandraBlobStore(config, session,
          settings.cassandra().keyspace() + "_blobs", settings.cassandra().replication());
    }
    // Blob I/O blocks; it gets its own threads so it never starves actors or gRPC.
    ExecutorService blobIo = Executors.newFixedThreadPool(8, daemon("blob-io-" + nodeId));
    Duration epochTimeout = config.getDuration("fabric.leader-epochs.timeout");
    LeaderEpochs.get(system).use(session == null
        ? new JdbcLeaderEpochStore(EmbeddedJournal.url(settings.dataDir()), blobIo)
        : new CassandraLeaderEpochStore(session, settings.cassandra().keyspace(), epochTimeout));
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(daemon("blob-release-" + nodeId));
    AzDirectory azs = new AzDirectory(system);
    EntityClient entities = new EntityClient(ClusterSharding.get(system), settings.askTimeout(),
        azs, config.getBoolean("fabric.replication.followers"));
    S3Service s3 = S3Wiring.start(system, config, settings.location(), blobs, entities, blobIo,
        scheduler);
    QueueService sqs = SqsWiring.start(system, config, settings.location(), entities);
    var dynamo = DynamoWiring.start(system, config, settings.location(), entities);
    var kinesis = KinesisWiring.start(system, config, settings.location(), entities, clock);

    GrpcServer grpc = new GrpcServer(settings.host(), settings.grpcPort(),
        List.of(new S3GrpcService(s3, blobIo, new ReadRouting(settings.location().az(), azs,
            ReadConsistency.STRONG)), new SqsGrpcService(sqs),
            new fabric.gateway.grpc.DynamoGrpcService(dynamo),
            new fabric.gateway.grpc.DynamoStreamsGrpcService(dynamo,
                new fabric.dynamo.stream.DynamoStreams(dynamo, entities,
                    new fabric.core.entity.JournalReader(system), java.time.Clock.systemUTC())),
            kinesis));
    grpc.start();
    ClusterView view = new ClusterView(system, ENTITY_TYPES, Duration.ofSeconds(3));
    ReplicationStatusReporter.start(system);
    NodeMetrics metrics = new NodeMetrics(ReplicationStatus.get(system),
        settings.location().nodeId(), settings.location().az());
    RegionRegistration registration = new RegionRegistration(system, ENTITY_TYPES);
    ServerBinding management = new ManagementServer(view,
        () -> isUp(system) && registration.registered(), metrics)
        .bind(system, settings.host(), settings.managementPort())
        .toCompletableFuture().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);

    FabricNode node = new FabricNode(settings, system, blobs, session, blobIo, scheduler, grpc,
        management, registration);
    node.registerShutdownTasks();
    log.info("node {} started in az {}: gRPC {}:{}, management {}:{}, journal {}", nodeId,
        settings.location().az(), settings.host(), grpc.port(), settings.host(),
        settings.managementPort(), settings.journal().name().toLowerCase());
    return node;
  }

  private void registerShutdownTasks() {
    CoordinatedShutdown cs = CoordinatedShutdown.get(system);
    // Stop taking requests first, then let cluster sharding hand shards off.
    cs.addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "grpc-not-serving", () -> {
      grpc.markNotServing();
      grpc.shutdown(Duration.ofSeconds(5));
      return java.util.concurrent.CompletableFuture.completedFuture(Done.getInstance());
    });
    cs.addTask(CoordinatedShutdown.PhaseServiceUnbind(), "management-unbind",
        () -> management.unbind().thenApply(x -> Done.getInstance()));
    // After the actor system is gone, whether it stopped gracefully or crashed: nothing
    // writes to the stores any more.
    system.getWhenTerminated().thenRun(this::closeResources);
  }

  private void closeResources() {
    if (!resourcesOpen.compareAndSet(true, false)) {
      return;
    }
    blobIo.shutdown();
    scheduler.shutdown();
    blobs.close();
    if (cqlSession != null) {
      cqlSession.close();
    }
    if (settings.journal() == NodeSettings.Journal.EMBEDDED) {
      EmbeddedJournal.release(settings.dataDir());
    }
    log.info("node {} in az {} stopped", settings.location().nodeId(), settings.location().az());
  }

  private static boolean isUp(ActorSystem<?> system) {
    MemberStatus status = Cluster.get(system).selfMember().status();
    return status == MemberStatus.up() || status == MemberStatus.weaklyUp();
  }

  /** Up, and its shard regions registered with their coordinators (what /ready says). */
  public boolean isReady() {
    return isUp(system) && registration.registered();
  }

  public NodeSettings settings() {
    return settings;
  }

  public ActorSystem<Void> system() {
    return system;
  }

  public int grpcPort() {
    return grpc.port();
  }

  /** Graceful: leaves the cluster, hands shards off, then stops. Blocks until done. */
  public void stop() {
    CoordinatedShutdown.get(system).run(CoordinatedShutdown.unknownReason());
    awaitTermination();
  }

  /**
   * Abrupt, for failover tests: the node disappears without leaving the cluster, so the
   * others see it unreachable and the Split Brain Resolver has to down it, as after a
   * kill -9. Its gRPC connections are cut.
   */
  public void crash() {
    grpc.shutdownNow();
    system.terminate(); // without CoordinatedShutdown: no cluster leave, no hand-off
    awaitTermination();
  }

  private void awaitTermination() {
    try {
      system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("node {} did not terminate within 60 s: {}", settings.location().nodeId(),
          e.toString());
    }
    closeResources(); // synchronously, so a restart on the same data dir finds them closed
  }

  @Override
  public void close() {
    stop();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
