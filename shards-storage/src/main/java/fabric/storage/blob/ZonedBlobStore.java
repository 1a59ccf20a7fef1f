package fabric.storage.blob;

import fabric.core.blob.BlobId;
import fabric.core.blob.BlobReader;
import fabric.core.blob.BlobRef;
import fabric.core.blob.BlobStore;
import fabric.core.blob.BlobWriter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Placement of object bytes by storage class: regional blobs (STANDARD and the other
 * multi-AZ classes) in a store replicated to every AZ, One Zone blobs in a store of that AZ
 * alone (in Cassandra mode a keyspace replicated only to the AZ's data center), so losing
 * the AZ makes them unavailable and destroying its data loses them, as on AWS. The
 * reference a writer commits names its zone, and reads and deletes follow it.
 */
public final class ZonedBlobStore implements BlobStore {
  private final BlobStore regional;
  private final Function<String, BlobStore> openZone;
  private final Map<String, BlobStore> zones = new ConcurrentHashMap<>();

  /** @param openZone opens (creating if needed) the store of one AZ; called once per AZ */
  public ZonedBlobStore(BlobStore regional, Function<String, BlobStore> openZone) {
    this.regional = regional;
    this.openZone = openZone;
  }

  /** Opens the stores of these AZs now (creating their storage) rather than on first use. */
  public void openZones(Iterable<String> azs) {
    azs.forEach(this::zone);
  }

  private BlobStore zone(String az) {
    return zones.computeIfAbsent(az, openZone);
  }

  @Override
  public BlobWriter create(BlobId id) {
    return regional.create(id);
  }

  @Override
  public BlobWriter create(BlobId id, String zone) {
    BlobWriter writer = zone(zone).create(id);
    return new BlobWriter() {
      @Override
      public void write(byte[] bytes, int offset, int length) {
        writer.write(bytes, offset, length);
      }

      @Override
      public long sizeBytes() {
        return writer.sizeBytes();
      }

      @Override
      public BlobRef commit() {
        return writer.commit().inZone(zone);
      }

      @Override
      public void abort() {
        writer.abort();
      }

      @Override
      public void close() {
        writer.close();
      }
    };
  }

  @Override
  public BlobReader open(BlobRef ref, long offsetBytes, long lengthBytes) {
    return (ref.isZonal() ? zone(ref.zone()) : regional).open(ref, offsetBytes, lengthBytes);
  }

  @Override
  public void delete(BlobId id) {
    regional.delete(id);
  }

  @Override
  public void delete(BlobRef ref) {
    (ref.isZonal() ? zone(ref.zone()) : regional).delete(ref.id());
  }

  @Override
  public int chunkSizeBytes() {
    return regional.chunkSizeBytes();
  }

  @Override
  public void close() {
    regional.close();
    zones.values().forEach(BlobStore::close);
  }
}
