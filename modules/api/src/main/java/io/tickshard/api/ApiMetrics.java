package io.tickshard.api;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tickshard.streams.metrics.NodeMetrics;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * What the HTTP side of a node adds to its metrics: tick viewers, ticks sent to them, and the
 * answers to starts with how long they took (by HTTP status: a bounded label).
 */
final class ApiMetrics implements Extension {

  private static final ExtensionId<ApiMetrics> ID =
      new ExtensionId<>() {
        @Override
        public ApiMetrics createExtension(ActorSystem<?> system) {
          return new ApiMetrics(system);
        }
      };

  /** One per node (metrics register once per registry), whatever serves its routes. */
  static ApiMetrics get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  private final List<IntSupplier> viewers = new CopyOnWriteArrayList<>();
  private final Counter ticksDelivered;
  private final Counter viewersBehind;
  private final Counter startRequests;
  private final Histogram startDuration;

  private ApiMetrics(ActorSystem<?> system) {
    PrometheusRegistry registry = NodeMetrics.get(system).registry();
    GaugeWithCallback.builder()
        .name("tickshard_sse_viewers")
        .help("Tick viewers (SSE) open on this node")
        .callback(callback -> callback.call(viewers.stream().mapToInt(IntSupplier::getAsInt).sum()))
        .register(registry);
    ticksDelivered =
        Counter.builder()
            .name("tickshard_ticks_delivered_total")
            .help("Tick events sent to SSE viewers on this node")
            .register(registry);
    viewersBehind =
        Counter.builder()
            .name("tickshard_sse_viewers_behind_total")
            .help(
                "Times an SSE viewer on this node fell more than its key's size behind, so that"
                    + " what waited for it was conflated to the latest per instrument")
            .register(registry);
    startRequests =
        Counter.builder()
            .name("tickshard_start_requests_total")
            .help("Stream starts answered by this node, by HTTP status")
            .labelNames("status")
            .register(registry);
    startDuration =
        Histogram.builder()
            .name("tickshard_start_duration_seconds")
            .help("How long this node took to answer a stream start")
            .classicOnly()
            .classicUpperBounds(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15)
            .register(registry);
  }

  /** Counts the viewers holding seats of {@code seats}. */
  void countViewers(IntSupplier seats) {
    viewers.add(seats);
  }

  void ticksDelivered(int ticks) {
    ticksDelivered.inc(ticks);
  }

  void viewerBehind() {
    viewersBehind.inc();
  }

  /** A start answered {@code response}, or failed with {@code failure}, {@code nanos} after. */
  void startAnswered(HttpResponse response, Throwable failure, long nanos) {
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    int status =
        response != null
            ? response.status().intValue()
            : cause instanceof Problem problem ? problem.getStatus() : 500;
    startRequests.labelValues(String.valueOf(status)).inc();
    startDuration.observe(nanos / 1e9);
  }
}
