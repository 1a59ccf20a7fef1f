package fabric.storage.blob;

import fabric.core.blob.BlobId;
import fabric.core.blob.BlobReader;
import fabric.core.blob.BlobRef;
import fabric.core.blob.BlobWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * What fsync costs the filesystem store. Prints numbers, asserts nothing: timing depends on
 * the disk. Run with {@code mvn test -Dtest=FsBlobStoreBenchmark -Dfabric.bench=true} (output
 * in target/surefire-reports/*-output.txt) or as a main with a directory argument.
 */
class FsBlobStoreBenchmark {

  private static final int SMALL = 4 * 1024;
  private static final int LARGE = 8 * 1024 * 1024;

  @Test
  @EnabledIfSystemProperty(named = "fabric.bench", matches = "true")
  void measure(@TempDir Path dir) throws Exception {
    run(dir, Long.getLong("fabric.bench.seconds", 3));
  }

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory(args.length > 0 ? Path.of(args[0]) : Path.of("/tmp"),
        "blob-bench");
    try {
      run(dir, args.length > 1 ? Long.parseLong(args[1]) : 3);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
          Files.delete(p);
        }
      }
    }
  }

  static void run(Path dir, long seconds) throws Exception {
    byte[] small = new byte[SMALL];
    byte[] large = new byte[LARGE];
    new Random(1).nextBytes(small);
    new Random(2).nextBytes(large);
    for (boolean fsync : new boolean[] {true, false}) {
      FileSystemBlobStore store = new FileSystemBlobStore(dir.resolve("fsync-" + fsync),
          FileSystemBlobStore.DEFAULT_CHUNK_SIZE_BYTES, fsync);
      for (int threads : new int[] {1, 8}) {
        timed(store, small, threads, 1); // warm-up
        long start = System.nanoTime();
        long commits = timed(store, small, threads, seconds);
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("fsync=%-5s 4 KiB blobs, %d thread(s): %8.0f commits/s%n",
            fsync, threads, commits / secs);
      }
      for (int threads : new int[] {1, 8}) {
        List<BlobRef> refs = new ArrayList<>();
        long start = System.nanoTime();
        long written = timed(store, large, threads, seconds, refs);
        double writeSecs = (System.nanoTime() - start) / 1e9;
        start = System.nanoTime();
        long read = readAll(store, refs, threads);
        double readSecs = (System.nanoTime() - start) / 1e9;
        System.out.printf("fsync=%-5s 8 MiB blobs, %d thread(s): write %7.1f MB/s,"
            + " verified read (page cache) %7.1f MB/s%n", fsync, threads,
            written * (double) LARGE / 1e6 / writeSecs, read / 1e6 / readSecs);
        refs.forEach(ref -> store.delete(ref.id()));
      }
    }
  }

  private static long timed(FileSystemBlobStore store, byte[] body, int threads, long seconds)
      throws Exception {
    return timed(store, body, threads, seconds, null);
  }

  /** Commits blobs of {@code body} from {@code threads} threads for {@code seconds}. */
  private static long timed(FileSystemBlobStore store, byte[] body, int threads, long seconds,
      List<BlobRef> refs) throws Exception {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    AtomicLong commits = new AtomicLong();
    ConcurrentLinkedQueue<BlobRef> committed = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          while (System.nanoTime() < deadline) {
            try (BlobWriter writer = store.create(BlobId.random())) {
              writer.write(body);
              BlobRef ref = writer.commit();
              if (refs != null) {
                committed.add(ref);
              }
            }
            commits.incrementAndGet();
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    if (refs != null) {
      refs.addAll(committed);
    }
    return commits.get();
  }

  private static long readAll(FileSystemBlobStore store, List<BlobRef> refs, int threads)
      throws Exception {
    AtomicLong bytes = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (BlobRef ref : refs) {
        done.add(pool.submit(() -> {
          try (BlobReader reader = store.open(ref, 0, ref.sizeBytes())) {
            for (byte[] piece = reader.next(); piece != null; piece = reader.next()) {
              bytes.addAndGet(piece.length);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return bytes.get();
  }
}
