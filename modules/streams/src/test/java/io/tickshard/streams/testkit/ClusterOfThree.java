package io.tickshard.streams.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import io.tickshard.simulator.FeedSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.awaitility.Awaitility;

/**
 * Three tickshard nodes in one JVM (three actor systems on loopback ports), one journal database,
 * one feed simulator, with the Split Brain Resolver on as in production (but a short stable-after),
 * so that a node that dies is downed and its streams move.
 */
public final class ClusterOfThree implements AutoCloseable {
  public final List<ActorTestKit> nodes = new ArrayList<>();

  private ClusterOfThree() {}

  /**
   * Starts three nodes; the first is the oldest (it hosts the cluster singletons). {@code
   * overrides} apply to every node.
   */
  public static ClusterOfThree start(
      EmbeddedDatabase.Database database, FeedSimulator simulator, Map<String, Object> overrides) {
    Map<String, Object> settings = new HashMap<>(overrides);
    settings.put(
        "pekko.cluster.downing-provider-class",
        "org.apache.pekko.cluster.sbr.SplitBrainResolverProvider");
    settings.put("pekko.cluster.split-brain-resolver.active-strategy", "keep-majority");
    settings.put("pekko.cluster.split-brain-resolver.stable-after", "2s");
    // A node "crashes" in these tests by terminating without leaving the cluster.
    settings.put("pekko.coordinated-shutdown.run-by-actor-system-terminate", "off");
    Config config = ClusterOfOne.config(database, simulator, settings);
    ClusterOfThree cluster = new ClusterOfThree();
    Address first = null;
    for (int i = 0; i < 3; i++) {
      ActorTestKit kit =
          ActorTestKit.create(
              "tickshard",
              config.withValue(
                  "pekko.cluster.roles",
                  ConfigValueFactory.fromIterable(List.of("node" + (i + 1)))));
      Cluster member = Cluster.get(kit.system());
      if (first == null) {
        first = member.selfMember().address();
      }
      member.manager().tell(Join.create(first));
      cluster.nodes.add(kit);
      // One at a time: the first must be Up (and so the oldest) before the others join.
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> member.selfMember().status() == MemberStatus.up());
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                cluster.nodes.stream()
                    .allMatch(
                        kit ->
                            java.util.stream.StreamSupport.stream(
                                        Cluster.get(kit.system())
                                            .state()
                                            .getMembers()
                                            .spliterator(),
                                        false)
                                    .filter(m -> m.status() == MemberStatus.up())
                                    .count()
                                == 3));
    return cluster;
  }

  public ActorTestKit node(int number) {
    return nodes.get(number - 1);
  }

  /** Stops a node the way a crash does: no leaving, no hand-off; the others must down it. */
  public void crash(int number) {
    ActorTestKit kit = node(number);
    kit.system().terminate();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> kit.system().getWhenTerminated().toCompletableFuture().isDone());
  }

  @Override
  public void close() {
    for (ActorTestKit kit : nodes) {
      if (!kit.system().getWhenTerminated().toCompletableFuture().isDone()) {
        kit.shutdownTestKit();
      }
    }
  }
}
