package io.tickshard.streams.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.tickshard.simulator.FeedSimulator;
import io.tickshard.simulator.SimulatorConfig;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.awaitility.Awaitility;

/**
 * A single-node tickshard cluster for tests: a real ActorSystem with cluster sharding, its journal
 * in a real PostgreSQL database, its feed pointed at a real simulator.
 */
public final class ClusterOfOne {
  private ClusterOfOne() {}

  /**
   * The configuration of a node whose journal is {@code database} and whose feed is {@code
   * simulator}, with {@code overrides} on top (HOCON paths to values).
   */
  public static Config config(
      EmbeddedDatabase.Database database, FeedSimulator simulator, Map<String, Object> overrides) {
    Config config =
        ConfigFactory.parseString(
            """
            pekko.actor.provider = cluster
            pekko.remote.artery.canonical.hostname = "127.0.0.1"
            pekko.remote.artery.canonical.port = 0
            pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
            pekko.coordinated-shutdown.exit-jvm = off
            pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
            pekko.loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
            pekko.logging-filter = "org.apache.pekko.event.slf4j.Slf4jLoggingFilter"
            pekko.loglevel = INFO
            """);
    config =
        config
            .withValue("tickshard.db.url", ConfigValueFactory.fromAnyRef(database.url()))
            .withValue("tickshard.db.user", ConfigValueFactory.fromAnyRef(database.user()))
            .withValue("tickshard.db.password", ConfigValueFactory.fromAnyRef(database.password()))
            .withValue(
                "tickshard.feed.url", ConfigValueFactory.fromAnyRef(simulator.baseUrl().toString()))
            .withValue(
                "tickshard.feed.client-id",
                ConfigValueFactory.fromAnyRef(SimulatorConfig.DEFAULT_CLIENT_ID))
            .withValue(
                "tickshard.feed.access-token",
                ConfigValueFactory.fromAnyRef(SimulatorConfig.DEFAULT_ACCESS_TOKEN));
    for (Map.Entry<String, Object> override : overrides.entrySet()) {
      config =
          config.withValue(override.getKey(), ConfigValueFactory.fromAnyRef(override.getValue()));
    }
    // Like conf/application.conf: the streams' Pekko layer above every reference.conf.
    return ConfigFactory.load(
        config.withFallback(ConfigFactory.parseResources("tickshard-streams.conf")));
  }

  /**
   * Starts a node named {@code tickshard} and waits until it is an Up member of its own cluster.
   */
  public static ActorTestKit start(Config config) {
    ActorTestKit kit = ActorTestKit.create("tickshard", config);
    Cluster cluster = Cluster.get(kit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> cluster.selfMember().status() == MemberStatus.up());
    return kit;
  }
}
