package io.tickshard.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.tickshard.redis.testkit.ChannelMessages;
import io.tickshard.redis.testkit.RedisServer;
import io.tickshard.service.rig.Cluster;
import io.tickshard.service.rig.NodeProcess;
import io.tickshard.service.rig.NumberedTicks;
import io.tickshard.service.rig.ScreenerKey;
import io.tickshard.service.rig.SharedCluster;
import io.tickshard.service.rig.StreamsApi;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The old app's Redis outputs on the shared three-node cluster, every node pointed at one real
 * redis-server: three overlapping keys started on three nodes, watched on three nodes, and each
 * tick the broker sent appears once on the channel (the simulator numbers each instrument's quotes,
 * so a repeat or a gap shows), its price under {@code ltp:NSE_EQ:<id>} for at most 30 s. Redis is
 * then killed and started again: the viewers miss no tick, and publishing resumes.
 */
@ExtendWith(SharedCluster.class)
class SharedRedisIT {
  private static final int BASE = 700_000;
  private static final String CHANNEL = "live_ltp_updates";
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static Cluster cluster;
  private static RedisServer redis;

  @BeforeAll
  static void given(Cluster shared, RedisServer sharedRedis) {
    assumeTrue(sharedRedis != null, RedisServer.missing());
    cluster = shared;
    redis = sharedRedis;
  }

  @Test
  void each_tick_once_on_the_channel_and_a_redis_restart_costs_the_feed_nothing() throws Exception {
    // 40 instruments in three keys that overlap by ten, each key started on a node of its own.
    List<ScreenerKey> keys =
        List.of(
            new ScreenerKey("redis-a", ids(1, 20), "quote"),
            new ScreenerKey("redis-b", ids(11, 30), "quote"),
            new ScreenerKey("redis-c", ids(21, 40), "quote"));
    List<String> started = new ArrayList<>();
    List<NumberedTicks> viewers = new ArrayList<>();
    ChannelMessages channel = new ChannelMessages(redis.url(), CHANNEL);
    try {
      for (int k = 0; k < keys.size(); k++) {
        HttpResponse<String> answer = StreamsApi.start(cluster.node(k), keys.get(k).startBody());
        assertThat(answer.statusCode()).as(answer.body()).isIn(200, 201);
        String id = StreamsApi.parse(answer.body()).path("id").asText();
        started.add(id);
        viewers.add(new NumberedTicks(cluster.node((k + 1) % 3), id));
      }
      await().atMost(WAIT).until(() -> numbered(channel.messages()).size() == 40);

      // Once each: from each instrument's first message on, its numbers go up by one.
      int from = channel.count();
      await().atMost(WAIT).until(() -> everyInstrumentAtLeast(numbered(since(channel, from)), 5));
      Map<String, List<Integer>> numbers = numbered(since(channel, from));
      assertThat(numbers).hasSize(40);
      numbers.forEach(
          (instrument, seen) ->
              assertThat(consecutive(seen)).as("%s: numbers on the channel", instrument).isTrue());
      assertThat(publishedTotal()).as("ticks written, summed over the nodes").isPositive();

      try (RedisClient client = RedisClient.create(redis.url());
          StatefulRedisConnection<String, String> keysRead = client.connect()) {
        for (int i = 1; i <= 40; i++) {
          String key = "ltp:NSE_EQ:" + (BASE + i);
          assertThat(keysRead.sync().get(key)).as(key).matches("\\d+\\.\\d+");
          assertThat(keysRead.sync().ttl(key)).as(key).isBetween(1L, 30L);
        }
      }
      for (NodeProcess node : cluster.nodes()) {
        assertThat(health(node).path("redis").path("state").asText()).isEqualTo("up");
      }

      // Redis killed and started again, while the feed goes on.
      redis.stop();
      await().atMost(WAIT).until(() -> anyNodeSees("down")); // the socket's node, whose writes fail
      // The feed goes on while Redis is away: every viewer gets four rounds of its 20 instruments.
      List<Long> before = viewers.stream().map(NumberedTicks::ticks).toList();
      await()
          .atMost(WAIT)
          .until(
              () ->
                  IntStream.range(0, viewers.size())
                      .allMatch(v -> viewers.get(v).ticks() >= before.get(v) + 80));
      redis.startAgain();
      await().atMost(WAIT).until(() -> cluster.nodes().stream().allMatch(n -> sees(n, "up")));
      try (ChannelMessages after = new ChannelMessages(redis.url(), CHANNEL)) {
        await().atMost(WAIT).until(() -> everyInstrumentAtLeast(numbered(after.messages()), 3));
        numbered(after.messages())
            .forEach(
                (instrument, seen) ->
                    assertThat(consecutive(seen))
                        .as("%s: numbers on the channel after the restart", instrument)
                        .isTrue());
      }
      for (NumberedTicks viewer : viewers) {
        assertThat(viewer.skipped())
            .as("%s: ticks missed, first at %s", viewer, viewer.gaps())
            .isZero();
        assertThat(viewer.instruments()).isEqualTo(20);
      }
      assertThat(nodeLogsQuoting(SharedCluster.REDIS_PASSWORD)).isEmpty();
    } finally {
      channel.close();
      viewers.forEach(NumberedTicks::close);
      for (String id : started) {
        StreamsApi.stop(cluster.node(0), id);
      }
    }
  }

  private static List<Integer> ids(int first, int last) {
    return IntStream.rangeClosed(BASE + first, BASE + last).boxed().toList();
  }

  private static List<String> since(ChannelMessages channel, int from) {
    List<String> all = channel.messages();
    return all.subList(from, all.size());
  }

  /** Each instrument's numbers (the simulator's stamp, in {@code volume}), in arrival order. */
  private static Map<String, List<Integer>> numbered(List<String> messages) {
    Map<String, List<Integer>> numbers = new HashMap<>();
    for (String message : messages) {
      JsonNode update = StreamsApi.parse(message);
      if (!update.path("instrument_key").asText().startsWith("NSE_EQ:" + BASE / 1000)) {
        continue; // another proof's instrument, in its grace
      }
      assertThat(update.path("type").asText()).isEqualTo("screener_ltp_update");
      assertThat(update.path("source").asText()).isEqualTo("websocket");
      assertThat(update.path("tick_kind").asText()).isEqualTo("quote");
      numbers
          .computeIfAbsent(update.path("instrument_key").asText(), k -> new ArrayList<>())
          .add(update.path("volume").asInt());
    }
    return numbers;
  }

  private static boolean everyInstrumentAtLeast(Map<String, List<Integer>> numbers, int ticks) {
    return numbers.size() == 40 && numbers.values().stream().allMatch(n -> n.size() >= ticks);
  }

  private static boolean consecutive(List<Integer> numbers) {
    for (int i = 1; i < numbers.size(); i++) {
      if (numbers.get(i) != numbers.get(i - 1) + 1) {
        return false;
      }
    }
    return true;
  }

  private static JsonNode health(NodeProcess node) throws Exception {
    return StreamsApi.getOk(node.api() + "/api/v1/health");
  }

  private static boolean sees(NodeProcess node, String state) {
    try {
      return health(node).path("redis").path("state").asText().equals(state);
    } catch (Exception e) {
      return false;
    }
  }

  private static boolean anyNodeSees(String state) {
    return cluster.nodes().stream().anyMatch(n -> sees(n, state));
  }

  private static double publishedTotal() throws Exception {
    double total = 0;
    for (NodeProcess node : cluster.nodes()) {
      total +=
          StreamsApi.get(node.management() + "/metrics")
              .body()
              .lines()
              .filter(line -> line.startsWith("tickshard_redis_published_total "))
              .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1)))
              .sum();
    }
    return total;
  }

  private static List<Path> nodeLogsQuoting(String secret) throws Exception {
    try (Stream<Path> files = Files.walk(cluster.logs())) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> p.toString().endsWith(".log"))
          .filter(
              p -> {
                try {
                  return Files.readString(p).contains(secret);
                } catch (Exception e) {
                  return false;
                }
              })
          .toList();
    }
  }
}
