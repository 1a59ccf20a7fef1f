package fabric.node;

import fabric.core.entity.EntityClient;
import fabric.core.entity.JournalReader;
import fabric.core.entity.ResourceSharding;
import fabric.core.topology.NodeLocation;
import fabric.dynamo.index.GlobalIndexDefinition;
import fabric.dynamo.index.GlobalIndexFeeder;
import fabric.dynamo.partition.PartitionDefinition;
import fabric.dynamo.service.DynamoService;
import fabric.dynamo.service.GlobalReplicator;
import fabric.dynamo.service.SplitPolicy;
import fabric.dynamo.table.TableDefinition;
import fabric.dynamo.tx.TransactionDefinition;
import java.time.Clock;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;

/** DynamoDB on one node: the sharded table, partition, index and transaction entities and
 *  the service. */
final class DynamoWiring {
  static final List<String> ENTITY_TYPES = List.of(TableDefinition.TYPE_KEY.name(),
      PartitionDefinition.TYPE_KEY.name(), DynamoService.TABLE_NAMES.typeKey().name(),
      TransactionDefinition.TYPE_KEY.name(), GlobalIndexDefinition.TYPE_KEY.name());

  private DynamoWiring() {}

  static DynamoService start(ActorSystem<?> system, com.typesafe.config.Config config,
      NodeLocation location, EntityClient entities) {
    DynamoService dynamo = new DynamoService(entities, location.region(), location.az(),
        Clock.systemUTC(), SplitPolicy.from(config));
    JournalReader journal = new JournalReader(system);
    // Global tables' feeds to other regions, woken by their partitions' leaders.
    GlobalReplicator replicator = new GlobalReplicator(dynamo, journal);
    ResourceSharding.init(system, new TableDefinition(), location);
    ResourceSharding.init(system, new PartitionDefinition(
        fabric.dynamo.partition.CapacityLimits.fromConfig(config), replicator::onTick),
        location);
    ResourceSharding.init(system, DynamoService.TABLE_NAMES, location);
    ResourceSharding.init(system, new TransactionDefinition(), location);
    // Global secondary indexes read their table's partitions' journals back.
    ResourceSharding.init(system, new GlobalIndexDefinition(new GlobalIndexFeeder(entities,
        journal)), location);
    return dynamo;
  }
}
