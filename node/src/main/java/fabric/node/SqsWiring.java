package fabric.node;

import com.typesafe.config.Config;
import fabric.core.entity.EntityClient;
import fabric.core.entity.ResourceSharding;
import fabric.core.topology.NodeLocation;
import fabric.queue.entity.QueueDefinition;
import fabric.queue.service.QueueService;
import java.time.Clock;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;

/** SQS on one node: the sharded queue entities and the service the gateways call. */
final class SqsWiring {
  static final List<String> ENTITY_TYPES = List.of(QueueDefinition.TYPE_KEY.name(),
      QueueService.QUEUE_NAMES.typeKey().name());

  private SqsWiring() {}

  static QueueService start(ActorSystem<?> system, Config config, NodeLocation location,
      EntityClient entities) {
    ResourceSharding.init(system, new QueueDefinition(), location);
    ResourceSharding.init(system, QueueService.QUEUE_NAMES, location);
    return new QueueService(entities, location.region(), config.getString("fabric.sqs.endpoint"),
        Clock.systemUTC());
  }
}
