package fabric.core.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Events stay readable when a record gains or loses a field: the journal holds bytes written
 * by older code, and a rolling upgrade has old and new nodes reading each other's events.
 * V1 and V2 stand for two versions of one event class (the manifest names the class).
 */
class EventEvolutionTest {
  record ObjectStoredV1(String key, long size) implements CborSerializable {}

  record ObjectStoredV2(String key, long size, String checksum) implements CborSerializable {}

  private static final ActorSystem system = ActorSystem.create("evolution", ConfigFactory.load());
  private static final Serialization serialization = SerializationExtension.get(system);

  @AfterAll
  static void shutdown() {
    system.terminate();
  }

  @Test
  void anOldEventReadsIntoTheNewRecordWithTheAddedFieldNull() {
    byte[] written = bytesOf(new ObjectStoredV1("photos/cat.jpg", 42));
    Object read = readAs(written, ObjectStoredV2.class);
    assertThat(read).isEqualTo(new ObjectStoredV2("photos/cat.jpg", 42, null));
  }

  @Test
  void aNewEventReadsIntoTheOldRecordIgnoringTheUnknownField() {
    byte[] written = bytesOf(new ObjectStoredV2("photos/cat.jpg", 42, "crc32c:1234"));
    Object read = readAs(written, ObjectStoredV1.class);
    assertThat(read).isEqualTo(new ObjectStoredV1("photos/cat.jpg", 42));
  }

  @Test
  void commandsEventsAndStateUseJacksonCborNotJavaSerialization() {
    Serializer serializer = serialization.findSerializerFor(new ObjectStoredV1("k", 1));
    assertThat(serializer.getClass().getSimpleName()).isEqualTo("JacksonCborSerializer");
  }

  private static byte[] bytesOf(Object event) {
    return serialization.serialize(event).get();
  }

  private static Object readAs(byte[] bytes, Class<?> type) {
    Serializer serializer = serialization.findSerializerFor(new ObjectStoredV1("k", 1));
    // The manifest is what the journal stores next to the bytes: the class name.
    String manifest = Serializers.manifestFor(serializer, newInstanceFor(type));
    return serialization.deserialize(bytes, serializer.identifier(), manifest).get();
  }

  private static Object newInstanceFor(Class<?> type) {
    return type == ObjectStoredV1.class ? new ObjectStoredV1("k", 1)
        : new ObjectStoredV2("k", 1, "c");
  }
}
