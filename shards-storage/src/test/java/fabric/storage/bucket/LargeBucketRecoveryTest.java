package fabric.storage.bucket;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import fabric.core.blob.BlobId;
import fabric.core.blob.BlobRef;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A measurement, not a benchmark gate: what a bucket of a million objects costs to rebuild
 * from events, to snapshot and to restore from a snapshot with the jackson-cbor serializer
 * the journal uses, and what a listing page costs on it. Only correctness is asserted; the
 * numbers go to the output as one {@code RECOVERY-MEASURE} line.
 */
@Tag("slow")
class LargeBucketRecoveryTest {
  private static final int OBJECTS = 1_000_000;
  private static final int FILES_PER_DIRECTORY = 1_000;

  private static ActorTestKit kit;

  @BeforeAll
  static void startActorSystem() {
    kit = ActorTestKit.create("LargeBucketRecoveryTest", ConfigFactory.load());
  }

  @AfterAll
  static void stopActorSystem() {
    kit.shutdownTestKit();
  }

  /** Zero-padded, so that the i-th key in UTF-8 order is key(i). */
  private static String key(int i) {
    return String.format("photos/dir-%04d/IMG_%07d.jpg", i / FILES_PER_DIRECTORY, i);
  }

  private static ObjectEntry entry(int i) {
    byte[] content = ("object " + i).getBytes(StandardCharsets.UTF_8);
    BlobRef blob = new BlobRef(BlobId.random(), 1_000L + i, TestObjects.md5Hex(content),
        1_048_576);
    return new ObjectEntry(key(i), blob, "image/jpeg", Map.of(), StorageClass.STANDARD,
        TestObjects.T0.plusSeconds(i));
  }

  private static long micros(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000;
  }

  /** First call and the median of later calls, in µs. */
  private static long[] timeListing(ObjectIndex index, ListQuery query) {
    long start = System.nanoTime();
    ObjectListing.list(index, query);
    long first = micros(start);
    long[] warm = new long[51];
    for (int i = 0; i < warm.length; i++) {
      long s = System.nanoTime();
      ObjectListing.list(index, query);
      warm[i] = micros(s);
    }
    Arrays.sort(warm);
    return new long[] {first, warm[warm.length / 2]};
  }

  private static long usedHeapMb() {
    Runtime rt = Runtime.getRuntime();
    return (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024);
  }

  @Test
  void millionObjectBucket_rebuildsFromEvents_roundTripsAsSnapshot_andListsPages() {
    BucketDefinition definition = new BucketDefinition(blob -> {
      throw new AssertionError("nothing is released while replaying");
    }, 10_000);

    // The journal of the bucket: creation, then a million puts in a scrambled key order.
    List<BucketEvent> events = new ArrayList<>(OBJECTS + 1);
    events.add(new BucketEvent.Created("111122223333", "us-east-1", TestObjects.T0));
    for (int n = 0; n < OBJECTS; n++) {
      int i = (int) ((n * 7919L + 13) % OBJECTS); // 7919 is prime to 10^6: a permutation
      events.add(new BucketEvent.ObjectPut(entry(i)));
    }

    // 1. Replay: what recovery without a snapshot does with the events (journal I/O aside).
    long start = System.nanoTime();
    BucketState state = definition.emptyState("photos");
    for (BucketEvent event : events) {
      state = definition.evolve(state, event);
    }
    long evolveMs = micros(start) / 1_000;
    events = null; // only the state holds the entries from here on
    assertThat(state.active()).isTrue();
    assertThat(state.objects().size()).isEqualTo(OBJECTS);
    assertThat(state.objects().first().getKey()).isEqualTo(key(0));
    long heapAfterEvolveMb = usedHeapMb();

    // 2. Snapshot: the serializer bound to CborSerializable, as the snapshot store uses it.
    Serialization serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));
    Serializer serializer = serialization.findSerializerFor(state);
    assertThat(serializer.getClass().getSimpleName()).isEqualTo("JacksonCborSerializer");
    String manifest = Serializers.manifestFor(serializer, state);
    start = System.nanoTime();
    byte[] bytes = serializer.toBinary(state);
    long serializeMs = micros(start) / 1_000;

    // Keep a few entries to compare, and let the original index go: the surefire fork has
    // 2 GB, and the original, the bytes and the restored copy need not all live at once.
    int[] samples = {0, 1, 999, 1_000, 123_457, OBJECTS / 2, OBJECTS - 2, OBJECTS - 1};
    List<ObjectEntry> originals = new ArrayList<>();
    for (int i : samples) {
      originals.add(state.objects().get(key(i)));
    }
    BucketState header = new BucketState(state.name(), state.status(), state.owner(),
        state.region(), state.createdAt(), ObjectIndex.empty());
    state = null;

    // 3. Restore: what recovery from that snapshot does (the tree is rebuilt from the list).
    start = System.nanoTime();
    BucketState restored = (BucketState) serialization
        .deserialize(bytes, serializer.identifier(), manifest).get();
    long deserializeMs = micros(start) / 1_000;
    int snapshotBytes = bytes.length;
    bytes = null;
    long heapAfterRestoreMb = usedHeapMb();

    assertThat(restored.withObjects(ObjectIndex.empty())).isEqualTo(header);
    assertThat(restored.objects().size()).isEqualTo(OBJECTS);
    for (int n = 0; n < samples.length; n++) {
      assertThat(originals.get(n)).as("original entry %d", samples[n]).isNotNull();
      assertThat(restored.objects().get(key(samples[n]))).as("entry %d", samples[n])
          .isEqualTo(originals.get(n));
    }
    assertThat(restored.objects().get("photos/dir-0000/IMG_missing.jpg")).isNull();

    // 4. Listing on the restored index: the first page, a page from the middle, and a page
    // of common prefixes (each skips a thousand keys with one seek).
    ObjectIndex index = restored.objects();
    ListQuery firstQuery = new ListQuery("", "", "", "", 1000);
    ListPage firstPage = ObjectListing.list(index, firstQuery);
    assertThat(firstPage.contents()).hasSize(1000);
    for (int i = 0; i < 1000; i++) {
      assertThat(firstPage.contents().get(i).key()).isEqualTo(key(i));
    }
    assertThat(firstPage.truncated()).isTrue();

    ListQuery middleQuery = new ListQuery("", "", key(OBJECTS / 2 - 1), "", 1000);
    ListPage middlePage = ObjectListing.list(index, middleQuery);
    assertThat(middlePage.contents()).hasSize(1000);
    for (int i = 0; i < 1000; i++) {
      assertThat(middlePage.contents().get(i).key()).isEqualTo(key(OBJECTS / 2 + i));
    }
    ListPage nextPage = ObjectListing.list(index,
        new ListQuery("", "", "", middlePage.nextContinuationToken(), 1000));
    assertThat(nextPage.contents().get(0).key()).isEqualTo(key(OBJECTS / 2 + 1000));

    ListQuery prefixesQuery = new ListQuery("photos/", "/", "", "", 1000);
    ListPage prefixesPage = ObjectListing.list(index, prefixesQuery);
    assertThat(prefixesPage.contents()).isEmpty();
    assertThat(prefixesPage.commonPrefixes()).hasSize(OBJECTS / FILES_PER_DIRECTORY);
    assertThat(prefixesPage.commonPrefixes().get(0)).isEqualTo("photos/dir-0000/");
    assertThat(prefixesPage.truncated()).isFalse();

    long[] firstUs = timeListing(index, firstQuery);
    long[] middleUs = timeListing(index, middleQuery);
    long[] prefixesUs = timeListing(index, prefixesQuery);

    String line = String.format("RECOVERY-MEASURE objects=%d evolve_ms=%d snapshot_bytes=%d "
            + "bytes_per_object=%d serialize_ms=%d deserialize_ms=%d "
            + "first_page_us=%d/%d middle_page_us=%d/%d prefixes_page_us=%d/%d "
            + "heap_after_evolve_mb=%d heap_after_restore_mb=%d (page times: first call/median)",
        OBJECTS, evolveMs, snapshotBytes, snapshotBytes / OBJECTS, serializeMs, deserializeMs,
        firstUs[0], firstUs[1], middleUs[0], middleUs[1], prefixesUs[0], prefixesUs[1],
        heapAfterEvolveMb, heapAfterRestoreMb);
    System.out.println(line);
    System.err.println(line);
  }
}
