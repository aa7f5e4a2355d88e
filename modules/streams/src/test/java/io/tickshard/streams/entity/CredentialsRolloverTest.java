package io.tickshard.streams.entity;

import static io.tickshard.streams.entity.StreamScenarios.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickshard.feed.FeedMode;
import io.tickshard.simulator.AuthRefusal;
import io.tickshard.simulator.FeedSimulator;
import io.tickshard.simulator.SimulatorConfig;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamState;
import io.tickshard.streams.broker.Broker;
import io.tickshard.streams.broker.BrokerStatus;
import io.tickshard.streams.broker.TokenSource;
import io.tickshard.streams.market.MarketHours;
import io.tickshard.streams.node.Streams;
import io.tickshard.streams.testkit.ClusterOfOne;
import io.tickshard.streams.testkit.EmbeddedDatabase;
import io.tickshard.streams.testkit.Jwt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One node with a token file, on the real simulator: a token the broker refuses puts its socket,
 * and so every stream on it, in {@code waiting_for_credentials} with no attempt with it again; a
 * new token in the file reaches them within 10 s (the file is checked every 2 s), the socket
 * reconnecting once. A refusal no token fixes (806, data plan) still fails the stream. Each
 * scenario starts with no socket open, so that its start opens one.
 */
class CredentialsRolloverTest {
  private static FeedSimulator simulator;
  private static ActorTestKit kit;
  private static StreamScenarios scenarios;
  private static Streams streams;
  private static Path tokenFile;
  private static final String FIRST = Jwt.expiringAt(Instant.now().plusSeconds(86_400), "first");

  @BeforeAll
  static void start() throws Exception {
    simulator =
        FeedSimulator.start(
            SimulatorConfig.defaults().withMarket(20, 11).withLimits(100, 5_000, 50));
    simulator.state().addCredential(SimulatorConfig.DEFAULT_CLIENT_ID, FIRST);
    tokenFile = Files.createTempFile("tickshard-token", ".txt");
    Files.writeString(tokenFile, FIRST + "\n");
    Map<String, Object> config = new HashMap<>(StreamTestConfig.FAST_FEED);
    config.put("tickshard.broker.token-file", tokenFile.toString());
    kit =
        ClusterOfOne.start(ClusterOfOne.config(EmbeddedDatabase.newDatabase(), simulator, config));
    streams =
        Streams.start(kit.system(), StreamTestConfig.settings(kit.system(), MarketHours.always()));
    scenarios = new StreamScenarios(kit);
  }

  @AfterAll
  static void stop() throws Exception {
    kit.shutdownTestKit();
    simulator.close();
    Files.deleteIfExists(tokenFile);
  }

  @AfterEach
  void clearFaults() {
    simulator.state().clearFaults();
  }

  @BeforeEach
  void noSocketOpen() {
    StreamScenarios.awaitNoSocket(kit, streams);
  }

  @Test
  void a_refused_token_waits_for_the_next_and_the_file_s_new_token_brings_every_stream_back()
      throws Exception {
    Broker broker = Broker.get(kit.system());
    assertThat(broker.current().source()).isEqualTo(TokenSource.FILE);
    List<StreamKey> keys =
        IntStream.range(0, 4).mapToObj(i -> StreamScenarios.key("rollover", 300 + i)).toList();
    keys.forEach(key -> scenarios.start(key, FeedMode.QUOTE));
    await()
        .atMost(WAIT)
        .until(
            () -> keys.stream().allMatch(k -> scenarios.found(k).state() == StreamState.RUNNING));

    // The morning's rollover: the broker expires the token, its socket gets 807 (one socket
    // carries the four keys).
    String second = Jwt.expiringAt(Instant.now().plusSeconds(2 * 86_400), "second");
    simulator.state().addCredential(SimulatorConfig.DEFAULT_CLIENT_ID, second);
    assertThat(simulator.state().expireToken(FIRST)).isEqualTo(1);

    await()
        .atMost(WAIT)
        .until(
            () ->
                keys.stream()
                    .allMatch(
                        k -> scenarios.found(k).state() == StreamState.WAITING_FOR_CREDENTIALS));
    long attempts = simulator.state().authAttempts(FIRST);
    // Backoff starts at 200 ms in these tests: a refusal loop would show within 3 s.
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .until(() -> simulator.state().authAttempts(FIRST) == attempts);
    for (StreamKey key : keys) {
      assertThat(scenarios.found(key).lastError()).contains("807");
      assertThat(StreamScenarios.upstream(simulator, key)).isEmpty();
    }
    assertThat(broker.status().state()).isEqualTo(BrokerStatus.State.REFUSED);
    assertThat(broker.status().lastRefusal().code()).isEqualTo(807);

    // The cron job writes the new token: within 10 s every stream runs on it, once each.
    Instant written = Instant.now();
    Files.writeString(tokenFile, second + "\n");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> keys.stream().allMatch(k -> scenarios.found(k).state() == StreamState.RUNNING));
    assertThat(Duration.between(written, Instant.now())).isLessThan(Duration.ofSeconds(10));
    assertThat(simulator.state().authAttempts(second)).isEqualTo(1);
    assertThat(simulator.state().authAttempts(FIRST)).isEqualTo(attempts);
    keys.forEach(key -> assertThat(StreamScenarios.upstream(simulator, key)).hasSize(1));
    assertThat(broker.current().accessToken()).isEqualTo(second);
    assertThat(broker.status().state()).isEqualTo(BrokerStatus.State.OK);
    assertThat(broker.status().tokenSource()).isEqualTo(TokenSource.FILE);
    keys.forEach(scenarios::stop);
  }

  @Test
  void refused_auth_waits_for_new_credentials_after_one_attempt_without_a_storm() {
    StreamKey key = StreamScenarios.key("refused", 60);
    long refusedBefore = simulator.state().stats().authFailures();
    // Refuse one attempt only: a retry would then get through and show as a socket for the key.
    // (No socket is open before this test: the key's start opens one.)
    simulator.state().refuseAuth(new AuthRefusal(AuthRefusal.Style.DISCONNECT_PACKET, 808, 1));

    scenarios.start(key, FeedMode.QUOTE);

    await()
        .atMost(WAIT)
        .until(() -> scenarios.found(key).state() == StreamState.WAITING_FOR_CREDENTIALS);
    assertThat(scenarios.found(key).lastError()).contains("808");
    assertThat(simulator.state().stats().authFailures()).isEqualTo(refusedBefore + 1);
    // Backoff starts at 200 ms in these tests: a storm would show within two seconds.
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(4))
        .until(
            () ->
                StreamScenarios.upstream(simulator, key).isEmpty()
                    && scenarios.found(key).state() == StreamState.WAITING_FOR_CREDENTIALS);
    // It means to run: a start finds it so, and it keeps its place on the socket.
    assertThat(scenarios.start(key, FeedMode.QUOTE)).isNotInstanceOf(StartReply.Rejected.class);
    assertThat(scenarios.found(key).sockets()).containsExactly("slot-0");
    scenarios.stop(key);
  }

  @Test
  void a_refusal_no_token_fixes_still_fails_the_stream() {
    StreamKey key = StreamScenarios.key("unsubscribed", 350);
    simulator.state().refuseAuth(new AuthRefusal(AuthRefusal.Style.DISCONNECT_PACKET, 806, 1));

    scenarios.start(key, FeedMode.QUOTE);

    await().atMost(WAIT).until(() -> scenarios.found(key).state() == StreamState.FAILED);
    assertThat(scenarios.found(key).lastError()).contains("806");
    scenarios.stop(key);
  }
}
