package io.tickshard.simulator;

import com.typesafe.config.ConfigFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Tcp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DhanHQ v2 compatible live-feed server on a real socket. Start it embedded with {@link
 * #start(SimulatorConfig)} (its own actor system) or {@link #start(SimulatorConfig,
 * ClassicActorSystemProvider)} (yours), or standalone through {@link SimulatorMain}.
 */
public final class FeedSimulator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FeedSimulator.class);
  private static final Duration BIND_TIMEOUT = Duration.ofSeconds(10);

  private final SimulatorConfig config;
  private final SimulatorState state;
  private final Tcp.ServerBinding binding;
  private final ActorSystem ownSystem;

  private FeedSimulator(
      SimulatorConfig config, SimulatorState state, Tcp.ServerBinding binding, ActorSystem own) {
    this.config = config;
    this.state = state;
    this.binding = binding;
    this.ownSystem = own;
  }

  /** Starts on an actor system of its own, which {@link #close()} terminates. */
  public static FeedSimulator start(SimulatorConfig config) {
    ActorSystem system =
        ActorSystem.create(
            "feed-simulator",
            ConfigFactory.parseString(
                    "pekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]\n"
                        + "pekko.logging-filter = \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\"\n"
                        + "pekko.loglevel = INFO\n"
                        // close() stops this system; a JVM hook of its own would race with it.
                        + "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off\n"
                        // A local system of its own, whatever the host's application.conf says.
                        + "pekko.actor.provider = local\n")
                .withFallback(ConfigFactory.defaultReference()));
    try {
      return bind(config, system, system);
    } catch (RuntimeException e) {
      system.terminate();
      throw e;
    }
  }

  /** Starts on the caller's actor system, which {@link #close()} leaves running. */
  public static FeedSimulator start(SimulatorConfig config, ClassicActorSystemProvider system) {
    return bind(config, system, null);
  }

  private static FeedSimulator bind(
      SimulatorConfig config, ClassicActorSystemProvider system, ActorSystem own) {
    SimulatorState state =
        new SimulatorState(
            new SimulatorCredentials(config.credentials(), config.expiredTokens()),
            new Market(config.seed(), config.chartMinutes()));
    AdminApi admin = new AdminApi(state);
    IntradayChartApi charts = new IntradayChartApi(state);
    Materializer materializer = Materializer.matFromSystem(system);
    CompletionStage<Tcp.ServerBinding> bound =
        Tcp.get(system)
            .bind(config.host(), config.port())
            .to(
                Sink.foreach(
                    connection ->
                        connection.handleWith(
                            Flow.fromGraph(
                                new ClientSession(
                                    config,
                                    state,
                                    admin,
                                    charts,
                                    describe(connection.remoteAddress()))),
                            materializer)))
            .run(materializer);
    Tcp.ServerBinding binding;
    try {
      binding = bound.toCompletableFuture().get(BIND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while binding the feed simulator", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "feed simulator could not bind " + config.host() + ":" + config.port(),
          e instanceof ExecutionException ? e.getCause() : e);
    }
    FeedSimulator simulator = new FeedSimulator(config, state, binding, own);
    log.info("feed simulator listening on {} ({})", simulator.baseUrl(), config);
    return simulator;
  }

  /** Close frames go out on the connections' own stages: give them a moment before unbinding. */
  private void awaitConnectionsClosed() {
    long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (state.stats().connectionsOpen() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static String describe(InetSocketAddress address) {
    return address.getHostString() + ":" + address.getPort();
  }

  public int port() {
    return binding.localAddress().getPort();
  }

  public String host() {
    return config.host();
  }

  public SimulatorConfig config() {
    return config;
  }

  /** Counters, open connections and fault switches; the admin API reads the same. */
  public SimulatorState state() {
    return state;
  }

  /** {@code ws://host:port/}, without credentials. */
  public URI baseUrl() {
    return URI.create("ws://" + host() + ":" + port() + "/");
  }

  /** The broker REST base the simulator serves ({@code http://host:port}), for its chart API. */
  public URI apiUrl() {
    return URI.create("http://" + host() + ":" + port());
  }

  /** The admin API's root, {@code http://host:port/admin/}. */
  public URI adminUrl() {
    return URI.create("http://" + host() + ":" + port() + "/admin/");
  }

  /** The feed URL a client uses, in the broker's form: all four query parameters. */
  public URI feedUrl(String clientId, String accessToken) {
    return URI.create(
        baseUrl()
            + "?version=2&token="
            + URLEncoder.encode(accessToken, StandardCharsets.UTF_8)
            + "&clientId="
            + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
            + "&authType=2");
  }

  /** Unbinds, closes every open feed connection, and stops its own actor system if it has one. */
  @Override
  public void close() {
    state.shutdownAll();
    awaitConnectionsClosed();
    try {
      binding.unbind().toCompletableFuture().get(BIND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("feed simulator did not unbind cleanly: {}", e.toString());
    }
    if (ownSystem != null) {
      ownSystem.terminate();
      try {
        ownSystem.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        log.warn("feed simulator actor system did not stop in time");
      }
    }
    log.info("feed simulator on port {} stopped", port());
  }
}
