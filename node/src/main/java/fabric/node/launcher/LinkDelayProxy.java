package fabric.node.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy in front of one node's remoting port that can hold back every byte by a
 * delay set at run time: a slow link without netem (this kernel has none). The node binds
 * its remoting on a port of its own and advertises the proxy's port ({@code ./fabric up
 * --link-control}), so every message other nodes send it passes here; the slow-link drill
 * writes the delay in milliseconds to the node's control file. Bytes keep their order and
 * all arrive; only their time changes (each chunk leaves {@code delay} after it came in).
 */
final class LinkDelayProxy implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LinkDelayProxy.class);
  /** Most delay a drill may set: beyond it the node is simply cut off. */
  static final long MAX_DELAY_MILLIS = 60_000;
  private static final int CHUNK_BYTES = 64 * 1024;
  /** Bounds the memory a stalled direction holds: 1,024 chunks of at most 64 KiB. */
  private static final int MAX_QUEUED_CHUNKS = 1_024;

  private final ServerSocket server;
  private final InetSocketAddress target;
  private final LongSupplier delayMillis;
  private final String name;
  private volatile boolean closed;

  private record Chunk(byte[] bytes, long dueNanos) {}

  private static final Chunk END = new Chunk(new byte[0], 0);

  LinkDelayProxy(String name, InetSocketAddress listen, InetSocketAddress target,
      LongSupplier delayMillis) throws IOException {
    this.name = name;
    this.target = target;
    this.delayMillis = delayMillis;
    this.server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(listen);
    Thread acceptor = new Thread(this::acceptLoop, "link-proxy-" + name);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /**
   * The delay in a control file (milliseconds as text), re-read at most every 200 ms;
   * 0 when the file is missing or unreadable, clamped to {@link #MAX_DELAY_MILLIS}.
   */
  static LongSupplier fromFile(Path file) {
    return new LongSupplier() {
      private long readNanos;
      private long cached;

      @Override
      public synchronized long getAsLong() {
        long now = System.nanoTime();
        if (now - readNanos > TimeUnit.MILLISECONDS.toNanos(200)) {
          readNanos = now;
          cached = read(file);
        }
        return cached;
      }
    };
  }

  static long read(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8).trim();
      return Math.max(0, Math.min(MAX_DELAY_MILLIS, Long.parseLong(text)));
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException | NumberFormatException e) {
      log.warn("link delay file {} unreadable ({}); no delay", file, e.toString());
      return 0;
    }
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket inbound = server.accept();
        Socket outbound = new Socket();
        try {
          outbound.connect(target, 5_000);
        } catch (IOException e) {
          inbound.close(); // the node is down or restarting: the caller retries
          continue;
        }
        inbound.setTcpNoDelay(true);
        outbound.setTcpNoDelay(true);
        pipe(inbound, outbound, "in");
        pipe(outbound, inbound, "out");
      } catch (IOException e) {
        if (!closed) {
          log.warn("link proxy {}: accept failed: {}", name, e.toString());
        }
      }
    }
  }

  /** One direction: a reader that stamps chunks and a writer that waits until each is due. */
  private void pipe(Socket from, Socket to, String direction) {
    LinkedBlockingQueue<Chunk> queue = new LinkedBlockingQueue<>(MAX_QUEUED_CHUNKS);
    Thread reader = new Thread(() -> {
      byte[] buf = new byte[CHUNK_BYTES];
      try (InputStream in = from.getInputStream()) {
        int n;
        while ((n = in.read(buf)) >= 0) {
          long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis.getAsLong());
          queue.put(new Chunk(Arrays.copyOf(buf, n), due));
        }
      } catch (IOException | InterruptedException e) {
        // closed: the writer ends the other side
      } finally {
        queue.offer(END);
      }
    }, "link-proxy-" + name + "-" + direction + "-read");
    Thread writer = new Thread(() -> {
      try (OutputStream out = to.getOutputStream()) {
        while (true) {
          Chunk c = queue.take();
          if (c == END) {
            break;
          }
          long wait = c.dueNanos() - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
          out.write(c.bytes());
          out.flush();
        }
      } catch (IOException | InterruptedException e) {
        // the other side closed
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "link-proxy-" + name + "-" + direction + "-write");
    reader.setDaemon(true);
    writer.setDaemon(true);
    reader.start();
    writer.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing
    }
  }
}
