package io.tickshard.redis;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * The Redis outputs' figures on this node's registry (docs/operations.md, "Monitoring"): exported
 * only when Redis is configured.
 */
final class RedisMetrics {
  /** Why a tick did not reach Redis. */
  enum Cause {
    /** The queue was full (Redis slow or away): the oldest waiting tick made room. */
    QUEUE_FULL("queue_full"),
    /** Its batch failed or timed out (the connection went, or Redis refused it). */
    WRITE_FAILED("write_failed"),
    /** The node stopped before it was written. */
    SHUTDOWN("shutdown");

    final String label;

    Cause(String label) {
      this.label = label;
    }
  }

  final Counter published;
  final Counter dropped;

  RedisMetrics(PrometheusRegistry registry, IntSupplier queueDepth, BooleanSupplier connected) {
    published =
        Counter.builder()
            .name("tickshard_redis_published_total")
            .help("Ticks written to Redis by this node (a channel message and a price key each)")
            .register(registry);
    dropped =
        Counter.builder()
            .name("tickshard_redis_dropped_total")
            .help("Ticks this node did not write to Redis, by cause")
            .labelNames("cause")
            .register(registry);
    for (Cause cause : Cause.values()) {
      dropped.labelValues(cause.label);
    }
    GaugeWithCallback.builder()
        .name("tickshard_redis_queue_depth")
        .help("Ticks waiting for Redis on this node")
        .callback(callback -> callback.call(queueDepth.getAsInt()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("tickshard_redis_connected")
        .help("1 while this node's Redis connection is up, else 0")
        .callback(callback -> callback.call(connected.getAsBoolean() ? 1 : 0))
        .register(registry);
  }

  void dropped(Cause cause, long ticks) {
    dropped.labelValues(cause.label).inc(ticks);
  }

  long droppedTotal() {
    long total = 0;
    for (Cause cause : Cause.values()) {
      total += (long) dropped.labelValues(cause.label).get();
    }
    return total;
  }
}
