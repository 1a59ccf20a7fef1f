package fabric.node.management;

import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The management HTTP port: {@code /alive} (the process answers), {@code /ready} (member of
 * the cluster and serving), {@code /cluster} (nodes, AZs, resource leaders and follower lag
 * as JSON), {@code /metrics} (Prometheus).
 */
public final class ManagementServer extends AllDirectives {
  private static final ContentType.WithCharset PROMETHEUS_TEXT = ContentTypes.TEXT_PLAIN_UTF8;
  private final ClusterView view;
  private final BooleanSupplier ready;
  private final NodeMetrics metrics;

  public ManagementServer(ClusterView view, BooleanSupplier ready, NodeMetrics metrics) {
    this.view = view;
    this.ready = ready;
    this.metrics = metrics;
  }

  public CompletionStage<ServerBinding> bind(ActorSystem<?> system, String host, int port) {
    return Http.get(system).newServerAt(host, port).bind(routes());
  }

  Route routes() {
    return concat(
        path("alive", () -> complete(StatusCodes.OK, "alive")),
        path("ready", () -> ready.getAsBoolean()
            ? complete(StatusCodes.OK, "ready")
            : complete(StatusCodes.SERVICE_UNAVAILABLE, "not ready")),
        path("cluster", () -> onSuccess(view.snapshot(),
            snapshot -> completeOK(snapshot, Jackson.marshaller()))),
        path("metrics", () -> complete(HttpEntities.create(PROMETHEUS_TEXT, metrics.scrape()))));
  }
}
