package io.tickshard.streams.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.tickshard.feed.MalformedFrame;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * This node's metrics, one registry per actor system (tests run several nodes in one JVM, so never
 * the client's process-wide default registry). The node's {@code /metrics} writes it out; the
 * gauges that describe the cluster are filled at each scrape from the stream registry (see the
 * service's MetricsRoutes). Label values are bounded: never a stream key or an instrument.
 */
public final class NodeMetrics implements Extension {

  private static final ExtensionId<NodeMetrics> ID =
      new ExtensionId<>() {
        @Override
        public NodeMetrics createExtension(ActorSystem<?> system) {
          return new NodeMetrics();
        }
      };

  public static NodeMetrics get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  private final PrometheusRegistry registry = new PrometheusRegistry();

  /** Market packets decoded from the broker's sockets on this node. */
  public final Counter ticksReceived =
      Counter.builder()
          .name("tickshard_ticks_received_total")
          .help("Market packets received from the broker on this node's sockets")
          .register(registry);

  /** Reconnects of this node's sockets, by why (a short, bounded word; see FeedConnection). */
  public final Counter reconnects =
      Counter.builder()
          .name("tickshard_upstream_reconnects_total")
          .help("Upstream socket reconnects on this node, by reason")
          .labelNames("reason")
          .register(registry);

  /** Times a socket slot here had to wait for its lease (another node held it). */
  public final Counter slotLeaseWaits =
      Counter.builder()
          .name("tickshard_slot_lease_waits_total")
          .help("Times a socket slot on this node waited for its lease, held by another node")
          .register(registry);

  /** Leases this node's slots lost: {@code taken} (another owner) or {@code not_renewed}. */
  public final Counter slotLeasesLost =
      Counter.builder()
          .name("tickshard_slot_leases_lost_total")
          .help("Socket slot leases this node lost, by cause (taken, not_renewed)")
          .labelNames("cause")
          .register(registry);

  /** Members this node downed because their cluster port refused connections (GoneMembers). */
  public final Counter goneMembersDowned =
      Counter.builder()
          .name("tickshard_gone_members_downed_total")
          .help("Members this node downed at once: their cluster port refused connections")
          .register(registry);

  /** Frames skipped as malformed, by kind. */
  public final Counter malformedFrames =
      Counter.builder()
          .name("tickshard_malformed_frames_total")
          .help("Upstream frames skipped as malformed on this node, by kind")
          .labelNames("kind")
          .register(registry);

  private final List<Supplier<CompletionStage<?>>> beforeScrape = new CopyOnWriteArrayList<>();

  /** Starts every known label at 0, so that a rate over them exists before the first event. */
  private NodeMetrics() {
    for (String reason : RECONNECT_REASONS) {
      reconnects.labelValues(reason);
    }
    for (MalformedFrame.Kind kind : MalformedFrame.Kind.values()) {
      malformedFrames.labelValues(kind.name().toLowerCase(Locale.ROOT));
    }
  }

  /** The reasons FeedConnection counts reconnects by. */
  public static final List<String> RECONNECT_REASONS =
      List.of(
          "handshake",
          "send_failed",
          "connect_failed",
          "broker_disconnect",
          "closed",
          "stale",
          "restart");

  public PrometheusRegistry registry() {
    return registry;
  }

  /** Runs {@code refresh} before each scrape (gauges read from elsewhere, e.g. the registry). */
  public void beforeEachScrape(Supplier<CompletionStage<?>> refresh) {
    beforeScrape.add(refresh);
  }

  /**
   * Everything this node exports, once every refresh has run; one that fails or is slow leaves its
   * gauges as they were.
   */
  public CompletionStage<MetricSnapshots> scrape() {
    CompletableFuture<?>[] refreshed =
        beforeScrape.stream()
            .map(refresh -> refresh.get().toCompletableFuture().exceptionally(failure -> null))
            .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(refreshed).thenApply(done -> registry.scrape());
  }
}
