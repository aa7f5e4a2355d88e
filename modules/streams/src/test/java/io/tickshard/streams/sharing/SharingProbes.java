package io.tickshard.streams.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickshard.simulator.FeedSimulator;
import io.tickshard.simulator.SimulatorState;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.node.Streams;
import io.tickshard.streams.ticks.Tick;
import io.tickshard.streams.ticks.TickBatch;
import io.tickshard.streams.ticks.TickProbes;
import io.tickshard.streams.ticks.ViewerTopics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.pubsub.Topic;

/** What the shared-socket tests look at: the one socket at the simulator, a key's viewers. */
final class SharingProbes {
  private SharingProbes() {}

  /** The one open socket's subscriptions: security id → mode. */
  static Map<Integer, String> subscribed(FeedSimulator simulator) {
    List<SimulatorState.ConnectionInfo> open = simulator.state().connections();
    assertThat(open).hasSize(1);
    Map<Integer, String> modes = new TreeMap<>();
    open.get(0).instruments().forEach(s -> modes.put(s.securityId(), s.mode()));
    return modes;
  }

  /** A viewer of {@code key}'s ticks on the node of {@code kit}, as the SSE side subscribes. */
  static TestProbe<Tick> viewer(ActorTestKit kit, Streams streams, StreamKey key, Duration wait) {
    ActorRef<Topic.Command<TickBatch>> topic =
        AskPattern.<ViewerTopics.Request, ActorRef<Topic.Command<TickBatch>>>ask(
                streams.topics(),
                replyTo -> new ViewerTopics.GetTopic(key, replyTo),
                wait,
                kit.system().scheduler())
            .toCompletableFuture()
            .join();
    TestProbe<Tick> viewer = kit.createTestProbe();
    topic.tell(Topic.subscribe(TickProbes.oneByOne(kit, viewer.getRef())));
    return viewer;
  }
}
