package io.tickshard.api;

import com.typesafe.config.Config;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds a node's routes with its {@link ConnectionLimits}: {@code tickshard.http.max-connections}
 * set onto pekko-http's {@code max-connections}, {@code tickshard.http.backlog} onto its listen
 * backlog, and each connection behind a {@link RequestHeadTimeout}. The rest of {@code
 * pekko.http.server} applies as configured (the parsing error handler, idle-timeout,
 * request-timeout); the binding is pekko-http's own, so unbinding and {@code
 * addToCoordinatedShutdown} work as for {@code bind(route)}.
 */
public final class ApiServerBinding {
  private static final Logger log = LoggerFactory.getLogger(ApiServerBinding.class);

  private ApiServerBinding() {}

  public static CompletionStage<ServerBinding> bind(
      ActorSystem<?> system, String host, int port, ConnectionLimits limits, Route routes) {
    Config config = system.settings().config();
    ConnectionLimits.processFileLimit()
        .ifPresent(
            files -> {
              if (files < limits.filesNeeded()) {
                // Past the file limit accepting fails, and so does everything else that opens one.
                log.warn(
                    "this process may open {} files (ulimit -n), fewer than the {} it needs for"
                        + " tickshard.http.max-connections = {} connections plus the node's own;"
                        + " raise ulimit -n or lower TICKSHARD_HTTP_MAX_CONNECTIONS",
                    files,
                    limits.filesNeeded(),
                    limits.maxConnections());
              }
            });
    ConnectionLimits.kernelBacklogCap()
        .ifPresent(
            cap -> {
              if (cap < limits.backlog()) {
                log.warn(
                    "the kernel caps listen backlogs at {} (net.core.somaxconn), below"
                        + " tickshard.http.backlog = {}: a burst of new connections past {} is"
                        + " dropped or reset; raise net.core.somaxconn",
                    cap,
                    limits.backlog(),
                    cap);
              }
            });
    ServerSettings settings =
        ServerSettings.create(config)
            .withMaxConnections(limits.maxConnections())
            .withBacklog(limits.backlog());
    // routes.flow is what bind(route) runs per connection: one request at a time.
    return Http.get(system)
        .newServerAt(host, port)
        .withSettings(settings)
        .bindFlow(
            RequestHeadTimeout.around(
                routes.flow(system), limits.headerTimeout(), limits.keepAliveTimeout()));
  }
}
