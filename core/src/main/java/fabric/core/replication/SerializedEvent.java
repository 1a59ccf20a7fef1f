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
    return events.stream().map(event -> of(system, event)).toList();
  }

  public static SerializedEvent of(ActorSystem<?> system, Object event) {
    Serialization serialization = SerializationExtension.get(system.classicSystem());
    Serializer serializer = serialization.findSerializerFor(event);
    return new SerializedEvent(serializer.identifier(), Serializers.manifestFor(serializer, event),
        serialization.serialize(event).get());
  }

  /** By content: a record compares arrays by reference. */
  @Override
  public boolean equals(Object other) {
    return other instanceof SerializedEvent e && e.serializerId == serializerId
        && e.manifest.equals(manifest) && java.util.Arrays.equals(e.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * serializerId + manifest.hashCode()) + java.util.Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "SerializedEvent[" + serializerId + ", " + manifest + ", " + bytes.length + " bytes]";
  }

  public Object deserialize(ActorSystem<?> system) {
    return SerializationExtension.get(system.classicSystem())
        .deserialize(bytes, serializerId, manifest).get();
  }
}
