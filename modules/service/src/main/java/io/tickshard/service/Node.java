package io.tickshard.service;

import com.typesafe.config.Config;
import io.tickshard.api.ApiRoutes;
import io.tickshard.api.ApiServerBinding;
import io.tickshard.api.ApiSettings;
import io.tickshard.api.ConnectionLimits;
import io.tickshard.api.StreamControl;
import io.tickshard.redis.RedisOutputs;
import io.tickshard.streams.NodeName;
import io.tickshard.streams.entity.StreamSettings;
import io.tickshard.streams.journal.JournalWarmUp;
import io.tickshard.streams.market.MarketHours;
import io.tickshard.streams.node.Streams;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tickshard node on an actor system: stream sharding and the registry, this node's tick topics,
 * the HTTP API and pekko-management. Cluster joining follows {@code pekko.cluster.seed-nodes}, or
 * cluster bootstrap when {@code tickshard.discovery} names a discovery method; shutdown is
 * coordinated (unbind, hand off entities, close sockets, leave).
 */
public final class Node {
  private static final Logger log = LoggerFactory.getLogger(Node.class);
  private final ActorSystem<?> system;
  private final ServerBinding http;
  private final String managementUrl;

  private Node(ActorSystem<?> system, ServerBinding http, String managementUrl) {
    this.system = system;
    this.http = http;
    this.managementUrl = managementUrl;
  }

  /** Wires and binds everything; completes when HTTP and management listen. */
  public static CompletionStage<Node> start(ActorSystem<?> system) {
    Config config = system.settings().config();
    // Read first: a bad limit stops the node before anything starts.
    ConnectionLimits limits = ConnectionLimits.fromConfig(config);
    // Before the sockets open: every tick they decode reaches Redis, when it is configured.
    RedisOutputs.start(system);
    Streams streams =
        Streams.start(system, StreamSettings.fromConfig(config, MarketHours.fromConfig(config)));
    StreamControl control = new StreamControl(system, ApiSettings.fromConfig(config), streams);

    String discovery = config.getString("tickshard.discovery").trim();
    CompletionStage<String> management =
        PekkoManagement.get(Adapter.toClassic(system))
            .start()
            .thenApply(
                url -> {
                  if (!discovery.isEmpty()) {
                    // Forms the cluster, or joins it, from the nodes that discovery finds; its
                    // contact points are the management ports, which answer from now on.
                    log.info(
                        "cluster bootstrap on {}: discovery {}", NodeName.of(system), discovery);
                    ClusterBootstrap.get(Adapter.toClassic(system)).start();
                  }
                  return url.toString();
                });
    // The API answers once the journal is warm (or known to be unreachable), not before.
    return warmUpJournal(system)
        .thenCompose(
            warm ->
                ApiServerBinding.bind(
                    system,
                    config.getString("tickshard.host"),
                    config.getInt("tickshard.http.port"),
                    limits,
                    new ApiRoutes(control).routes()))
        .thenApply(binding -> binding.addToCoordinatedShutdown(Duration.ofSeconds(10), system))
        .thenCombine(management, (binding, url) -> new Node(system, binding, url));
  }

  private static CompletionStage<Void> warmUpJournal(ActorSystem<?> system) {
    String node = NodeName.of(system);
    return JournalWarmUp.run(system, Duration.ofSeconds(20))
        .handle(
            (took, failure) -> {
              if (failure == null) {
                log.info("journal ready on {} after {} ms", node, took.toMillis());
              } else {
                // The class only: a driver's message may name the database URL.
                log.warn(
                    "journal not ready on {} at start ({}); streams will retry",
                    node,
                    failure.getClass().getSimpleName());
              }
              return null;
            });
  }

  public ActorSystem<?> system() {
    return system;
  }

  public InetSocketAddress httpAddress() {
    return http.localAddress();
  }

  public String managementUrl() {
    return managementUrl;
  }
}
