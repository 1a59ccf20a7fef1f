package fabric.core.replication;

import fabric.core.serialization.CborSerializable;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;

/**
 * An event as bytes, with what it takes to read it back: the leader serializes a batch
 * once for all followers, and the follower needs no knowledge of the event classes beyond
 * what Pekko's serialization already has (the same serializer the journal uses).
 */
public record SerializedEvent(int serializerId, String manifest, byte[] bytes)
    implements CborSerializable {

  static List<SerializedEvent> serializeAll(ActorSystem<?> system, List<?> events) {
    Serialization serialization = SerializationExtension.get(system.classicSystem());
    return events.stream().map(event -> {
      Object e = event;
      Serializer serializer = serialization.findSerializerFor(e);
      return new SerializedEvent(serializer.identifier(), Serializers.manifestFor(serializer, e),
          serialization.serialize(e).get());
    }).toList();
  }

  Object deserialize(ActorSystem<?> system) {
    return SerializationExtension.get(system.classicSystem())
        .deserialize(bytes, serializerId, manifest).get();
  }
}
