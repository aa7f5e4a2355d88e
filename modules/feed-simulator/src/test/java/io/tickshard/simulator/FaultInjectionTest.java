package io.tickshard.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickshard.feed.DisconnectPacket;
import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.FeedMode;
import io.tickshard.feed.FeedRequest;
import io.tickshard.feed.Instrument;
import io.tickshard.feed.MalformedFrame;
import io.tickshard.feed.TickerPacket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fault switches a client's resilience is tested with, driven through the admin API. */
class FaultInjectionTest {
  private static final Instrument SBIN = Instrument.of(ExchangeSegment.NSE_EQ, 3045);
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static FeedSimulator simulator;
  private static AdminClient admin;

  @BeforeAll
  static void start() {
    simulator = FeedSimulator.start(SimulatorConfig.defaults().withMarket(20, 3));
    admin = new AdminClient(simulator);
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  @AfterEach
  void clear() throws Exception {
    admin.post("faults/clear");
  }

  private static FeedClient subscribedClient() {
    FeedClient client =
        FeedClient.connect(
            simulator.feedUrl(
                SimulatorConfig.DEFAULT_CLIENT_ID, SimulatorConfig.DEFAULT_ACCESS_TOKEN));
    client.send(FeedRequest.subscribe(FeedMode.TICKER, List.of(SBIN)));
    await().atMost(WAIT).until(() -> tickers(client) >= 2);
    return client;
  }

  private static long tickers(FeedClient client) {
    return client.packets.stream().filter(TickerPacket.class::isInstance).count();
  }

  private static long onlyConnectionId() {
    return simulator.state().connections().get(0).id();
  }

  @Test
  void drop_resets_the_socket_without_a_close_frame() throws Exception {
    try (FeedClient client = subscribedClient()) {
      assertThat(
              admin
                  .post("faults/drop?connection=" + onlyConnectionId())
                  .body()
                  .get("affected")
                  .asInt())
          .isEqualTo(1);
      assertThat(client.awaitClose()).isEqualTo(1006);
      await().atMost(WAIT).until(() -> simulator.state().stats().connectionsOpen() == 0);
    }
  }

  @Test
  void stall_keeps_the_socket_but_sends_nothing_until_resumed() throws Exception {
    try (FeedClient client = subscribedClient()) {
      admin.post("faults/stall");
      await().atMost(WAIT).until(() -> simulator.state().connections().get(0).stalled());
      long framesAtStall = client.frameSizes.size();
      // 20 ticks a second: a stalled connection stays silent for a whole second (with one
      // frame of slack for a tick that was already on the wire).
      await()
          .during(Duration.ofSeconds(1))
          .atMost(Duration.ofSeconds(3))
          .until(() -> client.frameSizes.size() <= framesAtStall + 1);
      assertThat(client.isOpen()).isTrue();

      admin.post("faults/resume");
      long framesAtResume = client.frameSizes.size();
      await().atMost(WAIT).until(() -> client.frameSizes.size() >= framesAtResume + 5);
    }
  }

  @Test
  void garbage_frame_is_decoded_as_one_skipped_packet_and_one_malformed_tail() throws Exception {
    try (FeedClient client = subscribedClient()) {
      admin.post("faults/garbage");
      await().atMost(WAIT).until(() -> !client.malformed.isEmpty());
      assertThat(client.skipped)
          .singleElement()
          .satisfies(s -> assertThat(s.responseCode()).isEqualTo(99));
      assertThat(client.malformed)
          .singleElement()
          .satisfies(m -> assertThat(m.kind()).isEqualTo(MalformedFrame.Kind.SHORT_HEADER));
      long before = tickers(client);
      await().atMost(WAIT).until(() -> tickers(client) > before);
    }
  }

  @Test
  void disconnect_sends_the_chosen_reason_then_closes() throws Exception {
    try (FeedClient client = subscribedClient()) {
      admin.post("faults/disconnect?reason=800");
      assertThat(client.awaitClose()).isEqualTo(1000);
      assertThat(client.packets).last().isEqualTo(new DisconnectPacket(800));
    }
  }

  @Test
  void a_fault_aimed_at_one_connection_leaves_the_others_alone() throws Exception {
    try (FeedClient first = subscribedClient();
        FeedClient second = subscribedClient()) {
      long firstId = simulator.state().connections().get(0).id();
      admin.post("faults/disconnect?reason=800&connection=" + firstId);
      assertThat(first.awaitClose()).isEqualTo(1000);
      long before = tickers(second);
      await().atMost(WAIT).until(() -> tickers(second) > before + 3);
      assertThat(second.isOpen()).isTrue();
    }
  }
}
