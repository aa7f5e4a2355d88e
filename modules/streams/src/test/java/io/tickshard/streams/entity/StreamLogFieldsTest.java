package io.tickshard.streams.entity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tickshard.feed.FeedMode;
import io.tickshard.simulator.FeedSimulator;
import io.tickshard.simulator.SimulatorConfig;
import io.tickshard.streams.NodeName;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamState;
import io.tickshard.streams.market.MarketHours;
import io.tickshard.streams.node.Streams;
import io.tickshard.streams.testkit.ClusterOfOne;
import io.tickshard.streams.testkit.EmbeddedDatabase;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Every log line about a stream carries its key (the entity id) and node as fields, the ones the
 * JSON log format writes: its entity's lines (those after a journal write too), the registry's
 * refusal, and its sockets' changes for it. On the default path, one node.
 */
class StreamLogFieldsTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  private static FeedSimulator simulator;
  private static ActorTestKit kit;
  private static StreamScenarios scenarios;
  private static Streams streams;
  private static final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private static final List<String> LOGGERS =
      List.of(
          "io.tickshard.streams.entity.StreamEntity",
          "io.tickshard.streams.sharing.UpstreamSocket",
          "io.tickshard.streams.registry.AccountSockets");

  @BeforeAll
  static void start() {
    simulator = FeedSimulator.start(SimulatorConfig.defaults().withLimits(100, 5_000, 50));
    Map<String, Object> config = new HashMap<>(StreamTestConfig.FAST_FEED);
    // One socket of 5,000: a 5,000-instrument key fills it, and nothing fits beside it.
    config.put("tickshard.budget.max-connections", 1);
    kit =
        ClusterOfOne.start(ClusterOfOne.config(EmbeddedDatabase.newDatabase(), simulator, config));
    streams =
        Streams.start(kit.system(), StreamTestConfig.settings(kit.system(), MarketHours.always()));
    scenarios = new StreamScenarios(kit);
    lines.start();
    LOGGERS.forEach(name -> ((Logger) LoggerFactory.getLogger(name)).addAppender(lines));
  }

  @AfterAll
  static void stop() {
    LOGGERS.forEach(name -> ((Logger) LoggerFactory.getLogger(name)).detachAppender(lines));
    kit.shutdownTestKit();
    simulator.close();
  }

  private static List<ILoggingEvent> about(StreamKey key) {
    synchronized (lines) {
      return lines.list.stream()
          .filter(event -> event.getFormattedMessage().contains(key.label()))
          .toList();
    }
  }

  @Test
  void a_stream_s_lines_carry_its_key_and_node_from_start_to_stop() {
    StreamKey key = StreamScenarios.key("logged", 4_001, 4_002);
    String node = NodeName.of(kit.system());

    scenarios.start(key, FeedMode.QUOTE);
    await().atMost(WAIT).until(() -> scenarios.found(key).state() == StreamState.RUNNING);
    scenarios.stop(key);
    await()
        .atMost(WAIT)
        .until(
            () ->
                about(key).stream()
                    .anyMatch(e -> e.getFormattedMessage().contains("no longer carries")));

    List<ILoggingEvent> logged = about(key);
    assertThat(logged)
        .extracting(ILoggingEvent::getFormattedMessage)
        .anyMatch(line -> line.contains(": started ("))
        .anyMatch(line -> line.contains(": stopped (test)"))
        .anyMatch(line -> line.contains("carries stream"));
    assertThat(logged)
        .allSatisfy(
            event -> {
              assertThat(event.getMDCPropertyMap())
                  .as(event.getFormattedMessage())
                  .containsEntry("stream", key.entityId())
                  .containsEntry("node", node);
            });
  }

  @Test
  void a_refused_start_s_line_carries_the_key_too() {
    StreamKey big = StreamScenarios.key("big", IntStream.range(10_000, 15_000).toArray());
    StreamKey beside = StreamScenarios.key("beside", 20_001);
    StreamScenarios.awaitNoSocket(kit, streams); // the other scenario's instruments are gone
    assertThat(scenarios.start(big, FeedMode.TICKER)).isInstanceOf(StartReply.Started.class);
    try {
      assertThat(scenarios.start(beside, FeedMode.TICKER))
          .isInstanceOf(StartReply.InstrumentsExhausted.class);
      assertThat(about(beside))
          .singleElement()
          .satisfies(
              event ->
                  assertThat(event.getMDCPropertyMap())
                      .containsEntry("stream", beside.entityId())
                      .containsEntry("node", NodeName.of(kit.system())));
    } finally {
      scenarios.stop(big);
      // Its socket closes before the node shuts down: a change for a slot whose shard is being
      // handed off holds the region's shutdown until its timeout.
      StreamScenarios.awaitNoSocket(kit, streams);
    }
  }
}
