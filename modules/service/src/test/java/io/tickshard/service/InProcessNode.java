package io.tickshard.service;

import com.typesafe.config.Config;
import io.tickshard.service.rig.FreePorts;
import io.tickshard.simulator.FeedSimulator;
import io.tickshard.simulator.SimulatorConfig;
import io.tickshard.streams.testkit.EmbeddedDatabase;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A node in the test JVM, configured as Main configures one (NodeConfig's layers), on a fresh
 * database and the given simulator, with free ports; {@code overrides} on top.
 */
final class InProcessNode implements AutoCloseable {
  final ActorSystem<Void> system;
  final Node node;
  final int managementPort;

  private InProcessNode(ActorSystem<Void> system, Node node, int managementPort) {
    this.system = system;
    this.node = node;
    this.managementPort = managementPort;
  }

  static InProcessNode start(FeedSimulator simulator, Map<String, Object> overrides)
      throws Exception {
    EmbeddedDatabase.Database db = EmbeddedDatabase.newDatabase();
    int clusterPort = FreePorts.next();
    int managementPort = FreePorts.next();
    NodeConfig.Plan plan =
        new NodeConfig.Plan(
            false,
            false,
            false,
            "always",
            List.of("127.0.0.1:" + clusterPort),
            Usage.version(),
            NodeConfig.Discovery.NONE);
    Map<String, Object> settings = new HashMap<>();
    settings.put("tickshard.http.port", 0);
    settings.put("tickshard.cluster-port", clusterPort);
    settings.put("tickshard.management-port", managementPort);
    settings.put("pekko.coordinated-shutdown.exit-jvm", "off");
    settings.put("pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", "off");
    settings.put("pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on");
    settings.putAll(overrides);
    Config config =
        NodeConfig.finalConfig(
            plan,
            new NodeConfig.Feed(
                simulator.baseUrl().toString(),
                SimulatorConfig.DEFAULT_CLIENT_ID,
                SimulatorConfig.DEFAULT_ACCESS_TOKEN,
                false),
            new NodeConfig.Database(db.url(), db.user(), db.password(), false),
            settings);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "tickshard", config);
    Node node = Node.start(system).toCompletableFuture().get(60, TimeUnit.SECONDS);
    return new InProcessNode(system, node, managementPort);
  }

  @Override
  public void close() throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
