package io.tickshard.api.testkit;

import io.tickshard.api.ApiRoutes;
import io.tickshard.api.ApiServerBinding;
import io.tickshard.api.ApiSettings;
import io.tickshard.api.ConnectionLimits;
import io.tickshard.api.StreamControl;
import io.tickshard.simulator.FeedSimulator;
import io.tickshard.simulator.SimulatorConfig;
import io.tickshard.streams.entity.StreamSettings;
import io.tickshard.streams.market.MarketHours;
import io.tickshard.streams.node.Streams;
import io.tickshard.streams.testkit.ClusterOfOne;
import io.tickshard.streams.testkit.EmbeddedDatabase;
import io.tickshard.streams.ticks.ViewerTopics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.http.javadsl.ServerBinding;

/**
 * A real HTTP server on a free loopback port, in front of a single-node cluster whose journal is a
 * real PostgreSQL and whose feed is a real simulator. Tests talk to it with java.net.http.
 */
public final class ApiServer implements AutoCloseable {
  public final FeedSimulator simulator;
  public final EmbeddedDatabase.Database database;
  public final ActorTestKit kit;
  public final URI base;

  /** This node's tick topics, the ones viewers subscribe through. */
  public final ActorRef<ViewerTopics.Request> topics;

  private final ServerBinding binding;
  private final ApiRoutes routes;
  private final HttpClient http = HttpClient.newHttpClient();

  private ApiServer(
      FeedSimulator simulator,
      EmbeddedDatabase.Database database,
      ActorTestKit kit,
      ActorRef<ViewerTopics.Request> topics,
      ServerBinding binding,
      ApiRoutes routes) {
    this.simulator = simulator;
    this.database = database;
    this.kit = kit;
    this.topics = topics;
    this.binding = binding;
    this.routes = routes;
    this.base = URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + "/");
  }

  /** With fast feed timings and the given extra settings (HOCON paths to values). */
  public static ApiServer start(Map<String, Object> settings) {
    return start(settings, 20);
  }

  /** As above, with the simulator ticking each instrument {@code ticksPerSecond} times a second. */
  public static ApiServer start(Map<String, Object> settings, double ticksPerSecond) {
    return start(settings, ticksPerSecond, EmbeddedDatabase.newDatabase());
  }

  /** As above, on the given journal database (one a test can fault). */
  public static ApiServer start(
      Map<String, Object> settings, double ticksPerSecond, EmbeddedDatabase.Database database) {
    FeedSimulator simulator =
        FeedSimulator.start(
            SimulatorConfig.defaults().withMarket(ticksPerSecond, 3).withLimits(100, 5_000, 50));
    Map<String, Object> config = new HashMap<>();
    config.put("tickshard.feed.stale-after", "2s");
    config.put("tickshard.feed.heartbeat-interval", "500ms");
    config.put("tickshard.feed.backoff.min", "200ms");
    config.put("tickshard.streams.unknown-passivate-after", "1s");
    config.put("tickshard.api.ask-timeout", "5s");
    config.put("tickshard.api.sse-keep-alive", "1s");
    config.put("tickshard.budget.max-connections", 50);
    // A stopped key's instruments stay on its socket this long: a stop shows within seconds.
    config.put("tickshard.upstream.unsubscribe-grace", "1s");
    config.put("tickshard.instruments.sample", true);
    config.put(
        "pekko.http.server.parsing.error-handler", "io.tickshard.api.ProblemParsingErrorHandler");
    config.putAll(settings);
    ActorTestKit kit = ClusterOfOne.start(ClusterOfOne.config(database, simulator, config));
    var system = kit.system();
    Streams streams =
        Streams.start(
            system, StreamSettings.fromConfig(system.settings().config(), MarketHours.always()));
    StreamControl control =
        new StreamControl(system, ApiSettings.fromConfig(system.settings().config()), streams);
    try {
      // Bound as a node binds (connection limits, header timeout), on a free loopback port.
      ApiRoutes routes = new ApiRoutes(control);
      ServerBinding binding =
          ApiServerBinding.bind(
                  system,
                  "127.0.0.1",
                  0,
                  ConnectionLimits.fromConfig(system.settings().config()),
                  routes.routes())
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      return new ApiServer(simulator, database, kit, streams.topics(), binding, routes);
    } catch (Exception e) {
      kit.shutdownTestKit();
      simulator.close();
      throw new IllegalStateException("the API server did not bind", e);
    }
  }

  public static ApiServer start() {
    return start(Map.of());
  }

  /**
   * Unbinds and terminates the HTTP server in the node's coordinated shutdown, as a node does
   * ({@code Node}): for tests of what a shutdown does to open connections.
   */
  public void terminateOnShutdown(Duration hardDeadline) {
    binding.addToCoordinatedShutdown(hardDeadline, kit.system());
  }

  /** Tick viewers (SSE) this server holds open now. */
  public int openViewers() {
    return routes.openViewers();
  }

  public URI uri(String path) {
    return base.resolve(path.startsWith("/") ? path.substring(1) : path);
  }

  /** Sends a request built on this server's base URI; answers status, headers and body text. */
  public HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(
          request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  public HttpResponse<String> postJson(String path, String json) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  /** A form post, as the old screener pages send their starts and stops. */
  public HttpResponse<String> postForm(String path, String form) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form)));
  }

  public HttpResponse<String> delete(String path) {
    return send(HttpRequest.newBuilder(uri(path)).DELETE());
  }

  @Override
  public void close() {
    binding.unbind();
    kit.shutdownTestKit();
    simulator.close();
  }
}
