package io.tickshard.streams.entity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickshard.feed.FeedMode;
import io.tickshard.feed.Instrument;
import io.tickshard.simulator.FeedSimulator;
import io.tickshard.simulator.SimulatorState;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamSpec;
import io.tickshard.streams.StreamStatus;
import io.tickshard.streams.node.Streams;
import io.tickshard.streams.registry.StreamRegistry;
import io.tickshard.streams.registry.UpstreamListing;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/** Asks a node's stream entities the way the API will, for scenario tests. */
final class StreamScenarios {
  static final Duration WAIT = Duration.ofSeconds(15);

  private final ActorTestKit kit;

  StreamScenarios(ActorTestKit kit) {
    this.kit = kit;
  }

  static StreamKey key(String screener, int... ids) {
    return StreamKey.of(screener, Arrays.stream(ids).mapToObj(String::valueOf).toList());
  }

  EntityRef<StreamEntity.Command> entity(StreamKey key) {
    return StreamEntity.entityRefFor(kit.system(), key);
  }

  StartReply start(StreamKey key, FeedMode mode) {
    TestProbe<StartReply> probe = kit.createTestProbe();
    entity(key).tell(new StreamEntity.Start(new StreamSpec(key, mode), probe.getRef()));
    return probe.receiveMessage(WAIT);
  }

  StopReply stop(StreamKey key) {
    TestProbe<StopReply> probe = kit.createTestProbe();
    entity(key).tell(new StreamEntity.Stop("test", probe.getRef()));
    return probe.receiveMessage(WAIT);
  }

  StreamEntity.StatusReply status(StreamKey key) {
    TestProbe<StreamEntity.StatusReply> probe = kit.createTestProbe();
    entity(key).tell(new StreamEntity.GetStatus(probe.getRef()));
    return probe.receiveMessage(WAIT);
  }

  /** The status of a key that must be known. */
  StreamStatus found(StreamKey key) {
    StreamEntity.StatusReply reply = status(key);
    if (!(reply instanceof StreamEntity.Found found)) {
      throw new AssertionError("expected a known stream for " + key + ", got " + reply);
    }
    return found.status();
  }

  /**
   * The simulator's open connections that carry any of this key's instruments: the key's sockets,
   * as the broker sees them (they may carry other keys' instruments too).
   */
  static List<SimulatorState.ConnectionInfo> upstream(FeedSimulator simulator, StreamKey key) {
    Set<String> wanted = wire(key);
    return simulator.state().connections().stream()
        .filter(c -> c.instruments().stream().anyMatch(s -> wanted.contains(wire(s))))
        .toList();
  }

  /**
   * Every subscription of this key's instruments over all open connections, as {@code SEGMENT:ID
   * mode}: each instrument once, in the mode the key (or another key) needs.
   */
  static List<String> subscriptions(FeedSimulator simulator, StreamKey key) {
    Set<String> wanted = wire(key);
    return simulator.state().connections().stream()
        .flatMap(c -> c.instruments().stream())
        .filter(s -> wanted.contains(wire(s)))
        .map(s -> wire(s) + " " + s.mode())
        .sorted()
        .toList();
  }

  /** What {@link #subscriptions} says of a key whose instruments each ride once in {@code mode}. */
  static List<String> onceIn(StreamKey key, FeedMode mode) {
    return key.instruments().stream().map(i -> i + " " + mode.wireName()).sorted().toList();
  }

  /**
   * Waits until no socket slot carries anything (the last keys stopped and the grace is over), so
   * that the next start opens a socket, and its handshake is the one a scenario refuses.
   */
  static void awaitNoSocket(ActorTestKit kit, Streams streams) {
    TestProbe<UpstreamListing> probe = kit.createTestProbe();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              streams.registry().tell(new StreamRegistry.GetUpstream(probe.getRef()));
              assertThat(probe.receiveMessage(WAIT).sockets()).isEmpty();
            });
  }

  private static Set<String> wire(StreamKey key) {
    return key.instruments().stream().map(Instrument::toString).collect(Collectors.toSet());
  }

  private static String wire(SimulatorState.Subscription subscription) {
    return subscription.segment() + ":" + subscription.securityId();
  }
}
