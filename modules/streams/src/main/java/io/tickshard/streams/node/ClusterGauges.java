package io.tickshard.streams.node;

import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tickshard.feed.FeedMode;
import io.tickshard.streams.NodeName;
import io.tickshard.streams.broker.Broker;
import io.tickshard.streams.journal.JournalMonitor;
import io.tickshard.streams.metrics.NodeMetrics;
import io.tickshard.streams.registry.StreamRegistry;
import io.tickshard.streams.registry.UpstreamListing;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * The gauges read at each scrape: what the stream registry says runs on this node (streams by
 * state, the sockets this node owns and their instruments by mode), the cluster's budget, this
 * node's journal and broker token. Per node, so that a sum over nodes is the cluster's; the budget
 * is the cluster's on every node (take the max).
 */
public final class ClusterGauges {
  private static final Duration ASK = Duration.ofSeconds(2);

  private final ActorSystem<?> system;
  private final ActorRef<StreamRegistry.Command> registry;
  private final String node;

  private final Gauge streams;
  private final Gauge sockets;
  private final Gauge instruments;
  private final Gauge budgetUsed;
  private final Gauge budgetLimit;
  private final Gauge journalUp;
  private final Gauge tokenExpiry;

  private ClusterGauges(
      ActorSystem<?> system, ActorRef<StreamRegistry.Command> registry, PrometheusRegistry into) {
    this.system = system;
    this.registry = registry;
    this.node = NodeName.of(system);
    streams =
        Gauge.builder()
            .name("tickshard_streams")
            .help("Streams running on this node, by state, as the stream registry sees them")
            .labelNames("state")
            .register(into);
    sockets =
        Gauge.builder()
            .name("tickshard_upstream_sockets")
            .help("Broker sockets this node owns, by state")
            .labelNames("state")
            .register(into);
    instruments =
        Gauge.builder()
            .name("tickshard_upstream_instruments")
            .help("Instruments subscribed on this node's broker sockets, by mode")
            .labelNames("mode")
            .register(into);
    budgetUsed =
        Gauge.builder()
            .name("tickshard_budget_used")
            .help("Broker sockets in use for the account, cluster-wide")
            .register(into);
    budgetLimit =
        Gauge.builder()
            .name("tickshard_budget_limit")
            .help("Broker sockets the account allows (tickshard.budget.max-connections)")
            .register(into);
    journalUp =
        Gauge.builder()
            .name("tickshard_journal_up")
            .help("1 when this node reached the journal at its last check, else 0")
            .register(into);
    tokenExpiry =
        Gauge.builder()
            .name("tickshard_broker_token_expiry_seconds")
            .help(
                "Seconds until this node's broker token expires (negative: expired); absent when"
                    + " the token says nothing")
            .register(into);
  }

  /** Registers the gauges and refreshes them before each scrape of this node. */
  public static void register(ActorSystem<?> system, ActorRef<StreamRegistry.Command> registry) {
    NodeMetrics metrics = NodeMetrics.get(system);
    ClusterGauges gauges = new ClusterGauges(system, registry, metrics.registry());
    metrics.beforeEachScrape(gauges::refresh);
  }

  private CompletionStage<?> refresh() {
    journalUp.set(JournalMonitor.get(system).reading().up() ? 1 : 0);
    Broker.get(system)
        .current()
        .expiresAt()
        .ifPresentOrElse(
            at -> tokenExpiry.set(Duration.between(Instant.now(), at).toSeconds()),
            tokenExpiry::clear);
    // The counts, not the listing: that grows with every stream in the cluster.
    CompletionStage<StreamRegistry.StreamCounts> counts =
        AskPattern.ask(
            registry,
            replyTo -> new StreamRegistry.GetStreamCounts(node, replyTo),
            ASK,
            system.scheduler());
    CompletionStage<UpstreamListing> upstream =
        AskPattern.ask(registry, StreamRegistry.GetUpstream::new, ASK, system.scheduler());
    return counts.thenAcceptBoth(upstream, this::set);
  }

  private void set(StreamRegistry.StreamCounts counts, UpstreamListing upstream) {
    streams.clear();
    counts.byState().forEach((state, count) -> streams.labelValues(state.wireName()).set(count));
    Map<String, Integer> socketStates = new HashMap<>();
    Map<FeedMode, Integer> modes = new EnumMap<>(FeedMode.class);
    for (FeedMode mode : FeedMode.values()) {
      modes.put(mode, 0);
    }
    for (UpstreamListing.Socket socket : upstream.sockets()) {
      if (socket.status() == null || !node.equals(socket.status().node())) {
        continue;
      }
      socketStates.merge(socket.status().state().wireName(), 1, Integer::sum);
      socket.instruments().forEach((mode, count) -> modes.merge(mode, count, Integer::sum));
    }
    sockets.clear();
    socketStates.forEach((state, count) -> sockets.labelValues(state).set(count));
    modes.forEach((mode, count) -> instruments.labelValues(mode.wireName()).set(count));
    budgetUsed.set(upstream.socketsInUse());
    budgetLimit.set(upstream.budget());
  }
}
