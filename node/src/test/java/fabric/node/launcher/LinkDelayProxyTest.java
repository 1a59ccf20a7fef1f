package fabric.node.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinkDelayProxyTest {
  @TempDir
  Path dir;

  /** An echo server: what the node behind the proxy would be. */
  private static ServerSocket echo() throws Exception {
    ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> {
      try (Socket s = server.accept(); InputStream in = s.getInputStream();
          OutputStream out = s.getOutputStream()) {
        in.transferTo(out);
      } catch (Exception ignored) {
        // closed
      }
    });
    t.setDaemon(true);
    t.start();
    return server;
  }

  @Test
  void everyByteArrivesInOrderBothWaysAndNoSoonerThanTheDelay() throws Exception {
    AtomicLong delay = new AtomicLong(0);
    try (ServerSocket node = echo();
        LinkDelayProxy proxy = new LinkDelayProxy("test",
            new InetSocketAddress("127.0.0.1", 0),
            new InetSocketAddress("127.0.0.1", node.getLocalPort()), delay::get);
        Socket client = new Socket("127.0.0.1", proxy.port())) {
      byte[] sent = new byte[3 * 1024 * 1024 + 7];
      new Random(5).nextBytes(sent);
      Thread writer = new Thread(() -> {
        try {
          client.getOutputStream().write(sent);
        } catch (Exception ignored) {
          // the test fails on the read
        }
      });
      writer.start();
      byte[] back = new byte[sent.length];
      new DataInputStream(client.getInputStream()).readFully(back);
      assertThat(back).isEqualTo(sent);

      delay.set(150);
      long t0 = System.nanoTime();
      client.getOutputStream().write(42);
      assertThat(client.getInputStream().read()).isEqualTo(42);
      // Through the proxy twice (to the node and back): a lower bound, which load cannot
      // make fail; no upper bound.
      assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(300);
    }
  }

  @Test
  void theDelayFileIsMillisecondsAndAnythingElseMeansNone() throws Exception {
    Path file = dir.resolve("link-delay-node-1");
    assertThat(LinkDelayProxy.read(file)).isZero();
    Files.writeString(file, "250\n");
    assertThat(LinkDelayProxy.read(file)).isEqualTo(250);
    Files.writeString(file, "slow");
    assertThat(LinkDelayProxy.read(file)).isZero();
    Files.writeString(file, "99999999");
    assertThat(LinkDelayProxy.read(file)).isEqualTo(LinkDelayProxy.MAX_DELAY_MILLIS);
  }
}
