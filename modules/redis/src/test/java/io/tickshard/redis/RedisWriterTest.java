package io.tickshard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.typesafe.config.ConfigFactory;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tickshard.redis.testkit.ChannelMessages;
import io.tickshard.redis.testkit.RedisServer;
import io.tickshard.streams.outputs.OutputHealth;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The writer against a real redis-server (with a password, as production would have): the old app's
 * message on the channel and its price key, nothing for ticks without a price, and a Redis that
 * goes away and comes back while the feed keeps publishing.
 */
class RedisWriterTest {
  private static final String PASSWORD = "tick-secret-4711";
  private static final Duration WAIT = Duration.ofSeconds(20);

  private RedisServer server;
  private RedisWriter writer;
  private ChannelMessages channel;
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

  @BeforeEach
  void startRedis() throws Exception {
    assumeTrue(RedisServer.available(), RedisServer.missing());
    server = RedisServer.start(PASSWORD);
    logged.start();
    ((Logger) LoggerFactory.getLogger("io.tickshard.redis")).addAppender(logged);
  }

  @AfterEach
  void stopAll() throws Exception {
    if (channel != null) {
      channel.close();
    }
    if (writer != null) {
      writer.stop(Duration.ofSeconds(1));
    }
    if (server != null) {
      server.close();
    }
    ((Logger) LoggerFactory.getLogger("io.tickshard.redis")).detachAppender(logged);
    // Whatever happened, the password never reached a log line.
    assertThat(logged.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .noneMatch(line -> line.contains(PASSWORD));
  }

  private static RedisSettings settings(String url, int capacity) {
    return RedisSettings.fromConfig(
            ConfigFactory.parseString("tickshard.redis.url = \"" + url + "\"")
                .withFallback(ConfigFactory.defaultReference())
                .resolve())
        .orElseThrow()
        .withQueueCapacity(capacity);
  }

  private RedisWriter startWriter(int capacity) {
    writer =
        new RedisWriter(settings(server.url(), capacity), "test-node", new PrometheusRegistry());
    writer.start();
    await().atMost(WAIT).until(() -> writer.health().state() == OutputHealth.State.UP);
    channel = new ChannelMessages(server.url(), "live_ltp_updates");
    return writer;
  }

  @Test
  void a_quote_is_published_on_the_channel_and_its_price_kept_for_30_s() {
    startWriter(1_000);
    var tick = SampleTicks.quote("NSE_EQ", 1333, 1534.5f, 120_000);
    writer.publish(tick);

    await().atMost(WAIT).until(() -> channel.count() == 1);
    assertThat(channel.messages()).containsExactly(LtpUpdate.message(tick));
    assertThat(channel.messages().get(0))
        .contains("\"type\":\"screener_ltp_update\"", "\"instrument_key\":\"NSE_EQ:1333\"");
    try (RedisClient client = RedisClient.create(server.url());
        StatefulRedisConnection<String, String> redis = client.connect()) {
      assertThat(redis.sync().get("ltp:NSE_EQ:1333")).isEqualTo("1534.5");
      assertThat(redis.sync().ttl("ltp:NSE_EQ:1333")).isBetween(1L, 30L);
    }
    assertThat(writer.health().dropped()).isZero();
  }

  @Test
  void ticks_without_a_price_publish_nothing_a_ticker_publishes_its_price() {
    startWriter(1_000);
    writer.publish(SampleTicks.oi("NSE_FNO", 55796, 12_000));
    writer.publish(SampleTicks.prevClose("NSE_EQ", 1333, 1500f));
    var ticker = SampleTicks.ticker("NSE_FNO", 55796, 98.25f);
    writer.publish(ticker);

    // In order on one connection: had the first two been sent, they would have come first.
    await().atMost(WAIT).until(() -> channel.count() >= 1);
    assertThat(channel.messages()).containsExactly(LtpUpdate.message(ticker));
  }

  @Test
  void redis_stopped_and_started_the_feed_never_waits_and_the_writer_reconnects() throws Exception {
    startWriter(100);
    writer.publish(SampleTicks.quote("NSE_EQ", 1333, 100f, 1));
    await().atMost(WAIT).until(() -> channel.count() == 1);

    server.stop();
    await().atMost(WAIT).until(() -> writer.health().state() == OutputHealth.State.DOWN);
    // The feed goes on: publishing returns at once, the queue keeps the newest 100.
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> {
          for (int volume = 1; volume <= 10_000; volume++) {
            writer.publish(SampleTicks.quote("NSE_EQ", 2885, 200f + volume, volume));
          }
        });
    assertThat(writer.health().dropped()).isEqualTo(9_900);
    assertThat(writer.queueDepth()).isEqualTo(100);

    server.startAgain();
    await().atMost(WAIT).until(() -> writer.health().state() == OutputHealth.State.UP);
    // What waited through the outage is written once Redis is back: the newest price last.
    try (RedisClient client = RedisClient.create(server.url());
        StatefulRedisConnection<String, String> redis = client.connect()) {
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> assertThat(redis.sync().get("ltp:NSE_EQ:2885")).isEqualTo("10200.0"));
    }
    // And new ticks reach the channel's subscribers (Lettuce subscribed them again).
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              writer.publish(SampleTicks.quote("NSE_EQ", 1333, 101f, 2));
              assertThat(channel.messages()).anyMatch(m -> m.contains("\"ltp\":101.0"));
            });
    assertThat(logged.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .anyMatch(line -> line.contains("lost redis://127.0.0.1:" + server.port() + "/0"))
        .anyMatch(line -> line.contains("reconnected to redis://127.0.0.1:" + server.port()));
  }

  @Test
  void an_absent_redis_at_start_is_reached_once_it_runs() throws Exception {
    server.stop();
    writer = new RedisWriter(settings(server.url(), 1_000), "test-node", new PrometheusRegistry());
    writer.start();
    writer.publish(SampleTicks.quote("NSE_EQ", 1333, 1534.5f, 1));
    assertThat(writer.health().state()).isEqualTo(OutputHealth.State.DOWN);

    server.startAgain();
    await().atMost(WAIT).until(() -> writer.health().state() == OutputHealth.State.UP);
    try (RedisClient client = RedisClient.create(server.url());
        StatefulRedisConnection<String, String> redis = client.connect()) {
      await()
          .atMost(WAIT)
          .untilAsserted(() -> assertThat(redis.sync().get("ltp:NSE_EQ:1333")).isEqualTo("1534.5"));
    }
  }
}
