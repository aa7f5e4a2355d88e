package io.tickshard.service;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.tickshard.streams.metrics.NodeMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.javadsl.ManagementRouteProvider;
import org.apache.pekko.management.javadsl.ManagementRouteProviderSettings;

/**
 * {@code GET /metrics} on the management port: this node's metrics in the Prometheus text format
 * (the Prometheus Java client's registry of {@link NodeMetrics}, with the JVM's own metrics), the
 * registry-derived gauges refreshed for each scrape. Read-only, no token: like the probes, the
 * management port is for the operator's network only.
 */
public final class MetricsRoutes extends AllDirectives implements ManagementRouteProvider {
  private static final ContentType TEXT =
      ContentTypes.parse(PrometheusTextFormatWriter.CONTENT_TYPE);

  private final NodeMetrics metrics;
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  public MetricsRoutes(ExtendedActorSystem system) {
    metrics = NodeMetrics.get(Adapter.toTyped(system));
    JvmMetrics.builder().register(metrics.registry());
  }

  @Override
  public Route routes(ManagementRouteProviderSettings settings) {
    return path(
        "metrics",
        () ->
            get(
                () ->
                    completeWithFuture(
                        metrics
                            .scrape()
                            .thenApply(
                                snapshots -> {
                                  ByteArrayOutputStream out = new ByteArrayOutputStream(16_384);
                                  try {
                                    writer.write(
                                        out, snapshots, EscapingScheme.UNDERSCORE_ESCAPING);
                                  } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                  }
                                  return HttpResponse.create()
                                      .withStatus(StatusCodes.OK)
                                      .withEntity(HttpEntities.create(TEXT, out.toByteArray()));
                                }))));
  }
}
