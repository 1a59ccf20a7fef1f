package fabric.node.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Asks a node's management port whether it is a member of the cluster and serving. */
final class ReadyProbe {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  boolean isReady(String host, int managementPort) {
    try {
      HttpResponse<Void> response = http.send(HttpRequest.newBuilder(
              URI.create("http://" + host + ":" + managementPort + "/ready"))
          .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
