package fabric.storage.blob;

import fabric.core.blob.BlobCorruptedException;
import fabric.core.blob.BlobId;
import fabric.core.blob.BlobRef;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * What a store keeps about a committed blob besides its chunks. The CRCs live here, not next
 * to each chunk, so a chunk that was overwritten as a whole (bytes and all) is still caught.
 * Costs 4 bytes per chunk: 20 KiB for a 5 GiB blob at 1 MiB chunks.
 */
record ChunkManifest(long sizeBytes, int chunkSizeBytes, String md5Hex, int[] crcs) {

  private static final int MAGIC = 0x46424d31; // "FBM1": a file that is not a manifest fails fast
  private static final int HEADER_BYTES = 4 + 8 + 4 + 16 + 4;

  ChunkManifest {
    if (crcs.length != chunkCount(sizeBytes, chunkSizeBytes)) {
      throw new IllegalArgumentException(
          crcs.length + " CRCs for " + sizeBytes + " bytes in chunks of " + chunkSizeBytes);
    }
  }

  static int chunkCount(long sizeBytes, int chunkSizeBytes) {
    return Math.toIntExact((sizeBytes + chunkSizeBytes - 1) / chunkSizeBytes);
  }

  /** The ref an event recorded must describe this blob; otherwise the two were mixed up. */
  void checkMatches(BlobRef ref) {
    if (ref.sizeBytes() != sizeBytes
        || ref.chunkSizeBytes() != chunkSizeBytes
        || !ref.md5Hex().equals(md5Hex)) {
      throw new BlobCorruptedException("blob " + ref.id().value() + ": stored manifest (size "
          + sizeBytes + ", chunk " + chunkSizeBytes + ", md5 " + md5Hex + ") does not match "
          + ref);
    }
  }

  static void checkRange(BlobRef ref, long offsetBytes, long lengthBytes) {
    if (offsetBytes < 0 || lengthBytes < 0 || offsetBytes > ref.sizeBytes() - lengthBytes) {
      throw new IllegalArgumentException("range [" + offsetBytes + ", +" + lengthBytes
          + ") outside blob " + ref.id().value() + " of " + ref.sizeBytes() + " bytes");
    }
  }

  /** Manifest file layout: header, one CRC per chunk, then a CRC32C of all that. */
  byte[] encode() {
    ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + 4 * crcs.length + 4);
    out.putInt(MAGIC).putLong(sizeBytes).putInt(chunkSizeBytes);
    out.put(HexFormat.of().parseHex(md5Hex)).putInt(crcs.length);
    for (int crc : crcs) {
      out.putInt(crc);
    }
    out.putInt(crc32c(out.array(), out.position()));
    return out.array();
  }

  static ChunkManifest decode(BlobId id, byte[] bytes) {
    int bodyLength = bytes.length - 4;
    if (bodyLength < HEADER_BYTES
        || ByteBuffer.wrap(bytes, bodyLength, 4).getInt() != crc32c(bytes, bodyLength)) {
      throw new BlobCorruptedException("blob " + id.value() + ": manifest checksum mismatch");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, 0, bodyLength);
    if (in.getInt() != MAGIC) {
      throw new BlobCorruptedException("blob " + id.value() + ": not a manifest");
    }
    long size = in.getLong();
    int chunkSize = in.getInt();
    byte[] md5 = new byte[16];
    in.get(md5);
    int count = in.getInt();
    if (count < 0 || in.remaining() != 4L * count) {
      throw new BlobCorruptedException("blob " + id.value() + ": manifest truncated");
    }
    try {
      return new ChunkManifest(size, chunkSize, HexFormat.of().formatHex(md5), unpackCrcs(in));
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new BlobCorruptedException("blob " + id.value() + ": inconsistent manifest, " + e);
    }
  }

  static ByteBuffer packCrcs(int[] crcs) {
    ByteBuffer out = ByteBuffer.allocate(4 * crcs.length);
    out.asIntBuffer().put(crcs);
    return out;
  }

  static int[] unpackCrcs(ByteBuffer packed) {
    int[] crcs = new int[packed.remaining() / 4];
    packed.duplicate().asIntBuffer().get(crcs);
    return crcs;
  }

  static int crc32c(byte[] bytes, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, length);
    return (int) crc.getValue();
  }
}
