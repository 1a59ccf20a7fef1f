package fabric.node.launcher;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Reads and writes {@code <data-dir>/fabric-up.json}. Writes go to a temporary file that is
 * then renamed over the old one, so a reader (status, down, a script) never sees half a file.
 */
public final class StateFile {
  public static final String NAME = "fabric-up.json";

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      // Newer fabrics may add fields; an older `down` must still find the PIDs.
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private StateFile() {}

  public static Path in(Path dataDir) {
    return dataDir.toAbsolutePath().normalize().resolve(NAME);
  }

  public static synchronized void write(Path file, FabricState state) {
    Path tmp = file.resolveSibling(NAME + ".tmp");
    try {
      Files.createDirectories(file.getParent());
      JSON.writeValue(tmp.toFile(), state);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Empty if there is no file; an exception naming the file if it cannot be read. */
  public static Optional<FabricState> read(Path file) {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), FabricState.class));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  public static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + file, e);
    }
  }
}
