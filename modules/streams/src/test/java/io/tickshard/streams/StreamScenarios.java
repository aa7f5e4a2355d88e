package io.tickshard.streams;

import io.tickshard.feed.FeedMode;
import io.tickshard.feed.Instrument;
import io.tickshard.simulator.FeedSimulator;
import io.tickshard.simulator.SimulatorState;
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

  /** The simulator's open connections that carry exactly this key's instruments. */
  static List<SimulatorState.ConnectionInfo> upstream(FeedSimulator simulator, StreamKey key) {
    Set<String> wanted =
        key.instruments().stream().map(Instrument::toString).collect(Collectors.toSet());
    return simulator.state().connections().stream()
        .filter(
            c ->
                c.instruments().stream()
                    .map(s -> s.segment() + ":" + s.securityId())
                    .collect(Collectors.toSet())
                    .equals(wanted))
        .toList();
  }
}
