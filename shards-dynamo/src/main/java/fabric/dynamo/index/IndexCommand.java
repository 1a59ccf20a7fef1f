package fabric.dynamo.index;

import fabric.core.entity.EntityCommand;
import fabric.core.entity.Reply;
import fabric.dynamo.model.AttributeValue;
import fabric.dynamo.model.KeySchema;
import fabric.dynamo.partition.PartitionEvent;
import fabric.dynamo.partition.RequestExpressions;
import fabric.dynamo.table.IndexSpec;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;

/** What a global secondary index entity is asked. */
public sealed interface IndexCommand extends EntityCommand {
  /** Sets the index up (idempotent; a different key or projection starts it over). */
  record Init(IndexSpec spec, KeySchema tableKeys, boolean backfill, ActorRef<Reply> replyTo)
      implements IndexCommand {}

  /**
   * Base partition events read by {@link GlobalIndexFeeder}: applied only if each batch
   * starts where the index's cursor for that partition is (else a stale or repeated read).
   * @param partitions the table's partition map when read
   * @param caughtUp every partition of the map was read to its end
   */
  record Apply(List<Batch> batches, List<BasePartition> partitions, boolean caughtUp,
      ActorRef<Reply> replyTo) implements IndexCommand {}

  /** A base partition and the token range it owns. */
  record BasePartition(String id, long fromToken, long toToken)
      implements fabric.core.serialization.CborSerializable {}

  /** Events of one base partition, from journal sequence number {@code fromSeqNr};
   *  {@code nextSeqNr} is where the next read starts; {@code atEnd}: read to the journal's
   *  end (when read). */
  record Batch(String partition, long fromSeqNr, long nextSeqNr,
      // The events' classes travel with them (a list of an interface type, not a journal's
      // envelope).
      @com.fasterxml.jackson.annotation.JsonTypeInfo(
          use = com.fasterxml.jackson.annotation.JsonTypeInfo.Id.CLASS)
      List<PartitionEvent> events,
      boolean atEnd) implements fabric.core.serialization.CborSerializable {}

  record Drop(ActorRef<Reply> replyTo) implements IndexCommand {}

  record Status(ActorRef<Reply> replyTo) implements IndexCommand {}

  /** A Query page; limits as the partition's. */
  record Query(RequestExpressions expressions, boolean forward,
      Map<String, AttributeValue> exclusiveStartKey, int limit, int maxBytes,
      ActorRef<Reply> replyTo) implements IndexCommand {}

  /** A Scan page in index order, of the index partition-key tokens [fromToken, toToken]
   *  (a parallel scan's segment). */
  record Scan(RequestExpressions expressions, Map<String, AttributeValue> exclusiveStartKey,
      long fromToken, long toToken, int limit, int maxBytes, ActorRef<Reply> replyTo)
      implements IndexCommand {}
}
