package io.tickshard.streams.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickshard.simulator.FeedSimulator;
import io.tickshard.simulator.SimulatorConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The socket's request queue against the real simulator: a request that cannot be written ends the
 * socket with the failure (its connection then connects again and subscribes the whole set) rather
 * than leaving every later request to fail unsent behind it.
 */
class FeedSocketTest {
  private static FeedSimulator simulator;

  @BeforeAll
  static void start() {
    simulator = FeedSimulator.start(SimulatorConfig.defaults().withMarket(20, 11));
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  @Test
  void a_request_that_cannot_be_written_ends_the_socket_with_its_failure() throws Exception {
    CompletableFuture<FeedSocket.Handshake> upgraded = new CompletableFuture<>();
    FeedSocket socket =
        FeedSocket.open(
            simulator.feedUrl(
                SimulatorConfig.DEFAULT_CLIENT_ID, SimulatorConfig.DEFAULT_ACCESS_TOKEN),
            Duration.ofSeconds(5),
            frame -> {},
            upgraded::complete,
            upgraded::completeExceptionally);
    assertThat(upgraded.get(10, TimeUnit.SECONDS).accepted()).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> simulator.state().connections().size() == 1);

    // An unpaired surrogate is not text the JDK's client will write.
    assertThat(socket.send("{\"RequestCode\":15,\"x\":\"\uD800\"}"))
        .isEqualTo(FeedSocket.Sent.QUEUED);

    Throwable cause = socket.ended().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(cause).isNotNull();
    assertThat(socket.send("{\"RequestCode\":12}")).isEqualTo(FeedSocket.Sent.ENDED);
    await().atMost(Duration.ofSeconds(10)).until(() -> simulator.state().connections().isEmpty());
  }
}
