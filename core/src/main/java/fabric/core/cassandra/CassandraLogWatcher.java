package fabric.core.cassandra;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Follows a node's console log from the point of launch until every marker has appeared.
 * Starting at the current end of file matters: the log is appended across restarts, and a
 * marker from the previous run must not count as this run being ready.
 */
final class CassandraLogWatcher {

  private static final int TAIL_BYTES = 64 * 1024;

  private final Path file;
  private final List<String> pending;
  private final int longestMarker;
  private long offset;
  // The end of the previous read, so a marker split across two reads is still found.
  private String carry = "";

  CassandraLogWatcher(Path file, String... markers) throws IOException {
    this.file = file;
    this.pending = new ArrayList<>(List.of(markers));
    this.longestMarker = pending.stream().mapToInt(String::length).max().orElse(0);
    this.offset = Files.exists(file) ? Files.size(file) : 0;
  }

  /** True once all markers were seen since launch. */
  boolean sawAllMarkers() {
    if (pending.isEmpty()) {
      return true;
    }
    if (!Files.exists(file)) {
      return false;
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long length = raf.length();
      if (length <= offset) {
        return false;
      }
      byte[] buf = new byte[(int) Math.min(length - offset, 1 << 20)];
      raf.seek(offset);
      raf.readFully(buf);
      offset += buf.length;
      String text = carry + new String(buf, StandardCharsets.UTF_8);
      pending.removeIf(text::contains);
      carry = text.substring(Math.max(0, text.length() - longestMarker));
      return pending.isEmpty();
    } catch (IOException e) {
      return false; // transient: the child may be writing; the next poll retries
    }
  }

  /** The last {@code lines} lines of the file, for error messages. */
  String tail(int lines) {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long start = Math.max(0, raf.length() - TAIL_BYTES);
      byte[] buf = new byte[(int) (raf.length() - start)];
      raf.seek(start);
      raf.readFully(buf);
      List<String> all = Arrays.asList(new String(buf, StandardCharsets.UTF_8).split("\n"));
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }
}
