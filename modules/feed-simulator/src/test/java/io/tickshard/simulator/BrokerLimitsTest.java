package io.tickshard.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickshard.feed.DisconnectPacket;
import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.FeedMode;
import io.tickshard.feed.FeedRequest;
import io.tickshard.feed.Instrument;
import io.tickshard.feed.RequestCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The broker's limits: 100 per message, 5,000 per connection, 5 connections per client. */
class BrokerLimitsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static List<Instrument> instruments(int count) {
    return IntStream.rangeClosed(1, count)
        .mapToObj(id -> Instrument.of(ExchangeSegment.NSE_EQ, id))
        .toList();
  }

  private static FeedClient connect(FeedSimulator simulator) {
    return FeedClient.connect(
        simulator.feedUrl(SimulatorConfig.DEFAULT_CLIENT_ID, SimulatorConfig.DEFAULT_ACCESS_TOKEN));
  }

  @Test
  void more_than_100_instruments_in_one_message_gets_804_and_a_close() throws Exception {
    try (FeedSimulator simulator = FeedSimulator.start(SimulatorConfig.defaults());
        FeedClient client = connect(simulator)) {
      // Built by hand: FeedRequest.subscribe would split it, as a good client does.
      client.send(new FeedRequest(RequestCode.SUBSCRIBE_QUOTE, instruments(101)));
      assertThat(client.awaitClose()).isEqualTo(1000);
      assertThat(client.packets).containsExactly(new DisconnectPacket(804));
      assertThat(simulator.state().stats().limitDisconnects()).isEqualTo(1);
    }
  }

  @Test
  void the_real_limit_of_5000_per_connection_is_enforced() throws Exception {
    try (FeedSimulator simulator =
            FeedSimulator.start(SimulatorConfig.defaults().withMarket(0.2, 1));
        FeedClient client = connect(simulator)) {
      client.send(FeedRequest.subscribe(FeedMode.TICKER, instruments(5_000)));
      await()
          .atMost(WAIT)
          .until(() -> simulator.state().connections().get(0).instrumentCount() == 5_000);
      assertThat(client.isOpen()).isTrue();

      client.send(
          FeedRequest.subscribe(
              FeedMode.TICKER, List.of(Instrument.of(ExchangeSegment.BSE_EQ, 1))));
      assertThat(client.awaitClose()).isEqualTo(1000);
      assertThat(client.packets).contains(new DisconnectPacket(804));
    }
  }

  @Test
  void resubscribing_instruments_already_held_does_not_count_twice() {
    try (FeedSimulator simulator =
            FeedSimulator.start(SimulatorConfig.defaults().withLimits(100, 150, 5));
        FeedClient client = connect(simulator)) {
      client.send(FeedRequest.subscribe(FeedMode.TICKER, instruments(150)));
      client.send(FeedRequest.subscribe(FeedMode.QUOTE, instruments(150)));
      await().atMost(WAIT).until(() -> simulator.state().stats().subscribeMessages() == 4);
      assertThat(client.isOpen()).isTrue();
      assertThat(simulator.state().connections().get(0).instrumentsPerMode())
          .containsEntry("quote", 150);
    }
  }

  @Test
  void a_sixth_connection_evicts_the_oldest_with_805() throws Exception {
    try (FeedSimulator simulator = FeedSimulator.start(SimulatorConfig.defaults())) {
      List<FeedClient> clients = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        clients.add(connect(simulator));
        int opened = i + 1;
        await().atMost(WAIT).until(() -> simulator.state().stats().connectionsOpen() == opened);
      }
      long oldestId = simulator.state().connections().get(0).id();
      try (FeedClient sixth = connect(simulator)) {
        FeedClient oldest = clients.get(0);
        assertThat(oldest.awaitClose()).isEqualTo(1000);
        assertThat(oldest.packets).containsExactly(new DisconnectPacket(805));
        assertThat(simulator.state().stats().evictions()).isEqualTo(1);
        assertThat(simulator.state().stats().connectionsOpen()).isEqualTo(5);
        assertThat(simulator.state().connections()).noneMatch(c -> c.id() == oldestId);
        assertThat(clients.subList(1, 5)).allMatch(FeedClient::isOpen);
        assertThat(sixth.isOpen()).isTrue();
      } finally {
        clients.forEach(FeedClient::close);
      }
    }
  }

  @Test
  void limits_are_per_client_id() {
    SimulatorConfig config =
        SimulatorConfig.defaults()
            .withCredentials(java.util.Map.of("a", "ta", "b", "tb"), java.util.Set.of())
            .withLimits(100, 5_000, 1);
    try (FeedSimulator simulator = FeedSimulator.start(config);
        FeedClient a = FeedClient.connect(simulator.feedUrl("a", "ta"));
        FeedClient b = FeedClient.connect(simulator.feedUrl("b", "tb"))) {
      await().atMost(WAIT).until(() -> simulator.state().stats().connectionsOpen() == 2);
      assertThat(simulator.state().stats().evictions()).isZero();
      assertThat(a.isOpen() && b.isOpen()).isTrue();
    }
  }
}
