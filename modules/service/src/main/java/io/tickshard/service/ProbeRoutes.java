package io.tickshard.service;

import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.HealthCheckSettings;
import org.apache.pekko.management.javadsl.CheckResult;
import org.apache.pekko.management.javadsl.HealthChecks;
import org.apache.pekko.management.javadsl.ManagementRouteProvider;
import org.apache.pekko.management.javadsl.ManagementRouteProviderSettings;

/**
 * The management port's {@code /startup}, {@code /ready} and {@code /alive}, on pekko-management's
 * health checks, answering 503 when a check fails (pekko-management's own routes answer 500, which
 * load balancers and Kubernetes read as the probe itself being broken).
 */
public final class ProbeRoutes extends AllDirectives implements ManagementRouteProvider {
  private final HealthChecks checks;
  private final HealthCheckSettings settings;

  public ProbeRoutes(ExtendedActorSystem system) {
    settings =
        HealthCheckSettings.create(
            system.settings().config().getConfig("pekko.management.health-checks"));
    checks = new HealthChecks(system, settings);
  }

  @Override
  public Route routes(ManagementRouteProviderSettings routeSettings) {
    return get(
        () ->
            concat(
                path(settings.startupPath(), () -> answer(checks.startupResult())),
                path(settings.readinessPath(), () -> answer(checks.readyResult())),
                path(settings.livenessPath(), () -> answer(checks.aliveResult()))));
  }

  private Route answer(CompletionStage<CheckResult> result) {
    return onComplete(
        result,
        done -> {
          if (done.isSuccess() && done.get().isSuccess()) {
            return complete(StatusCodes.OK, "OK");
          }
          String why =
              done.isSuccess() ? done.get().failure().orElse("a check failed") : "checks failed";
          return complete(StatusCodes.SERVICE_UNAVAILABLE, "Not Healthy: " + why);
        });
  }
}
