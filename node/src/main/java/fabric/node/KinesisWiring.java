package fabric.node;

import fabric.core.entity.EntityClient;
import fabric.core.entity.JournalReader;
import fabric.core.entity.ResourceSharding;
import fabric.core.topology.NodeLocation;
import fabric.gateway.grpc.KinesisGrpcService;
import fabric.kinesis.service.KinesisConsumers;
import fabric.kinesis.service.KinesisReads;
import fabric.kinesis.service.KinesisRecords;
import fabric.kinesis.service.KinesisService;
import fabric.kinesis.service.KinesisSettings;
import fabric.kinesis.service.ShardSubscriptions;
import fabric.kinesis.shard.ShardDefinition;
import fabric.kinesis.stream.StreamDefinition;
import java.time.Clock;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;

/** Kinesis on one node: the sharded stream and shard entities, the service, its gRPC. */
final class KinesisWiring {
  static final List<String> ENTITY_TYPES = List.of(StreamDefinition.TYPE_KEY.name(),
      ShardDefinition.TYPE_KEY.name(), KinesisService.STREAM_NAMES.typeKey().name());

  private KinesisWiring() {}

  /** @param clock the node's clock: the service's and the entities' ticks (retention,
   *     iterator expiry) read it; tests move it */
  static KinesisGrpcService start(ActorSystem<?> system, com.typesafe.config.Config config,
      NodeLocation location, EntityClient entities, Clock clock) {
    KinesisSettings settings = KinesisSettings.from(config);
    ResourceSharding.init(system, new StreamDefinition(settings.maxOpenShards(), clock),
        location);
    ResourceSharding.init(system, new ShardDefinition(clock,
        config.getDuration("fabric.kinesis.trim-interval")), location);
    ResourceSharding.init(system, KinesisService.STREAM_NAMES, location);
    KinesisService kinesis = new KinesisService(entities, location.region(), clock, settings);
    JournalReader journal = new JournalReader(system);
    KinesisReads reads = new KinesisReads(kinesis, journal);
    KinesisConsumers consumers = new KinesisConsumers(kinesis,
        config.getDuration("fabric.kinesis.consumer-activation-delay"));
    ShardSubscriptions subscriptions = new ShardSubscriptions(kinesis, reads, consumers,
        journal, config.getDuration("fabric.kinesis.subscription-lifetime"),
        config.getDuration("fabric.kinesis.subscription-poll-interval"));
    return new KinesisGrpcService(kinesis, new KinesisRecords(kinesis), reads, consumers,
        subscriptions);
  }
}
