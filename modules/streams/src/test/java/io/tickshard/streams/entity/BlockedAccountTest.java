package io.tickshard.streams.entity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tickshard.feed.FeedMode;
import io.tickshard.simulator.AuthRefusal;
import io.tickshard.simulator.FeedSimulator;
import io.tickshard.simulator.SimulatorConfig;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamState;
import io.tickshard.streams.StreamStatus;
import io.tickshard.streams.market.MarketHours;
import io.tickshard.streams.node.Streams;
import io.tickshard.streams.testkit.ClusterOfOne;
import io.tickshard.streams.testkit.EmbeddedDatabase;
import io.tickshard.streams.upstream.FeedConnection;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The broker answers the WebSocket handshake itself with an HTTP error: 429 (account blocked or
 * data plan lapsed) fails the socket, and every stream on it, after one attempt; 503 is retried
 * with backoff. Against the real simulator, over real sockets. Each scenario starts with no socket
 * open, so that its starts open one.
 */
class BlockedAccountTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  private static FeedSimulator simulator;
  private static EmbeddedDatabase.Database database;
  private static ActorTestKit kit;
  private static StreamScenarios scenarios;
  private static Streams streams;
  private static Logger feedLog;
  private static ListAppender<ILoggingEvent> feedEvents;

  @BeforeAll
  static void start() {
    simulator =
        FeedSimulator.start(
            SimulatorConfig.defaults().withMarket(20, 11).withLimits(100, 5_000, 50));
    database = EmbeddedDatabase.newDatabase();
    kit = ClusterOfOne.start(ClusterOfOne.config(database, simulator, StreamTestConfig.FAST_FEED));
    streams =
        Streams.start(kit.system(), StreamTestConfig.settings(kit.system(), MarketHours.always()));
    scenarios = new StreamScenarios(kit);
    // A typed actor logs under its class name: capture what FeedConnection says.
    feedLog = (Logger) LoggerFactory.getLogger(FeedConnection.class);
    feedEvents = new ListAppender<>();
    feedEvents.start();
    feedLog.addAppender(feedEvents);
  }

  @AfterAll
  static void stop() {
    feedLog.detachAppender(feedEvents);
    kit.shutdownTestKit();
    simulator.close();
  }

  @AfterEach
  void clearFaults() {
    simulator.state().clearFaults();
  }

  @BeforeEach
  void noSocketOpen() {
    StreamScenarios.awaitNoSocket(kit, streams);
  }

  private static List<String> feedLines(Level level, String about) {
    // ListAppender appends under the appender's own lock (AppenderBase.doAppend): read under it.
    synchronized (feedEvents) {
      return feedEvents.list.stream()
          .filter(event -> event.getLevel() == level)
          .map(ILoggingEvent::getFormattedMessage)
          .filter(line -> line.contains(about))
          .toList();
    }
  }

  @Test
  void a_429_at_the_handshake_fails_the_socket_after_one_attempt_with_one_error_line() {
    // Sixteen streams at once, on the one socket their instruments fit on: it fails after exactly
    // one attempt, and every stream on it with it.
    List<StreamKey> keys =
        IntStream.range(0, 16).mapToObj(i -> StreamScenarios.key("blocked", 90 + i)).toList();
    long refusedBefore = simulator.state().stats().handshakesRefused();
    // Every attempt is refused: any retry would show as one more refused handshake.
    simulator.state().refuseAuth(new AuthRefusal(AuthRefusal.Style.HTTP_429, 0, -1));

    keys.forEach(key -> scenarios.start(key, FeedMode.QUOTE));

    await()
        .atMost(WAIT)
        .until(() -> keys.stream().allMatch(k -> scenarios.found(k).state() == StreamState.FAILED));
    // Backoff starts at 200 ms and tops out at 2 s in these tests: a retry would show within 3 s.
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                simulator.state().stats().handshakesRefused() == refusedBefore + 1
                    && keys.stream()
                        .allMatch(k -> scenarios.found(k).state() == StreamState.FAILED));
    for (StreamKey key : keys) {
      StreamStatus failed = scenarios.found(key);
      assertThat(failed.lastError())
          .isEqualTo(
              "feed handshake answered HTTP 429: account blocked or data plan lapsed"
                  + " (will not retry until restarted)");
      assertThat(failed.sockets()).containsExactly("slot-0");
      assertThat(StreamScenarios.upstream(simulator, key)).isEmpty();
      // Failed for good: a start is refused until the stream is stopped.
      assertThat(scenarios.start(key, FeedMode.QUOTE)).isInstanceOf(StartReply.Rejected.class);
      scenarios.stop(key);
    }
    assertThat(feedLines(Level.ERROR, "HTTP 429"))
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .contains("socket slot-0")
                    .contains(scenarios.found(keys.get(0)).node())
                    .contains("HTTP 429")
                    .contains("account blocked or data plan lapsed"));
    assertThat(feedLines(Level.INFO, "HTTP 429"))
        .noneMatch(line -> line.contains("reconnect attempt"));
  }

  @Test
  void a_503_at_the_handshake_is_retried_with_backoff_until_the_feed_answers() {
    StreamKey key = StreamScenarios.key("unavailable", 120, 121);
    long refusedBefore = simulator.state().stats().handshakesRefused();
    // Three attempts answered 503, then the simulator lets the fourth through.
    simulator.state().refuseAuth(new AuthRefusal(AuthRefusal.Style.HTTP_503, 0, 3));

    scenarios.start(key, FeedMode.QUOTE);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              StreamStatus status = scenarios.found(key);
              assertThat(status.state()).isEqualTo(StreamState.RUNNING);
              assertThat(status.ticks()).isPositive();
            });
    assertThat(simulator.state().stats().handshakesRefused()).isEqualTo(refusedBefore + 3);
    assertThat(scenarios.found(key).lastError()).contains("HTTP 503");
    assertThat(StreamScenarios.upstream(simulator, key)).hasSize(1);
    assertThat(feedLines(Level.ERROR, "HTTP 503")).isEmpty();
    scenarios.stop(key);
  }
}
