package io.tickshard.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.FeedMode;
import io.tickshard.feed.FeedRequest;
import io.tickshard.feed.FullPacket;
import io.tickshard.feed.Instrument;
import io.tickshard.feed.MarketPacket;
import io.tickshard.feed.OiPacket;
import io.tickshard.feed.PrevClosePacket;
import io.tickshard.feed.QuotePacket;
import io.tickshard.feed.TickerPacket;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a client receives for each mode, as the broker sends it. */
class SubscriptionModesTest {
  private static final Instrument RELIANCE = Instrument.of(ExchangeSegment.NSE_EQ, 2885);
  private static final Instrument NIFTY_FUT = Instrument.of(ExchangeSegment.NSE_FNO, 55796);
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static FeedSimulator simulator;

  @BeforeAll
  static void start() {
    simulator = FeedSimulator.start(SimulatorConfig.defaults().withMarket(20, 7));
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  private static FeedClient connect() {
    return FeedClient.connect(
        simulator.feedUrl(SimulatorConfig.DEFAULT_CLIENT_ID, SimulatorConfig.DEFAULT_ACCESS_TOKEN));
  }

  @Test
  void ticker_mode_sends_16_byte_ticker_packets() {
    try (FeedClient client = connect()) {
      client.send(FeedRequest.subscribe(FeedMode.TICKER, List.of(RELIANCE)));
      await().atMost(WAIT).until(() -> count(client, TickerPacket.class::isInstance) >= 3);
      assertThat(client.frameSizes).containsOnly(16);
      assertThat(client.packets)
          .allSatisfy(p -> assertThat(((MarketPacket) p).instrument()).isEqualTo(RELIANCE));
    }
  }

  @Test
  void quote_mode_sends_50_byte_quotes_and_oi_for_derivatives_only() {
    try (FeedClient client = connect()) {
      client.send(FeedRequest.subscribe(FeedMode.QUOTE, List.of(RELIANCE, NIFTY_FUT)));
      await()
          .atMost(WAIT)
          .until(
              () ->
                  count(client, p -> p instanceof QuotePacket q && q.securityId() == 2885) >= 2
                      && count(client, OiPacket.class::isInstance) >= 2);
      assertThat(client.frameSizes).containsOnly(16, 50, 12);
      assertThat(client.packets)
          .filteredOn(OiPacket.class::isInstance)
          .allSatisfy(p -> assertThat(((OiPacket) p).instrument()).isEqualTo(NIFTY_FUT));
      QuotePacket quote =
          (QuotePacket)
              client.packets.stream().filter(QuotePacket.class::isInstance).findFirst().get();
      assertThat(quote.low()).isLessThanOrEqualTo(quote.lastPrice());
      assertThat(quote.high()).isGreaterThanOrEqualTo(quote.lastPrice());
      assertThat(quote.volume()).isPositive();
    }
  }

  @Test
  void full_mode_sends_162_byte_packets_with_five_ordered_depth_levels() {
    try (FeedClient client = connect()) {
      client.send(FeedRequest.subscribe(FeedMode.FULL, List.of(NIFTY_FUT)));
      await().atMost(WAIT).until(() -> count(client, FullPacket.class::isInstance) >= 2);
      assertThat(client.frameSizes).containsOnly(16, 162);
      FullPacket full =
          (FullPacket)
              client.packets.stream().filter(FullPacket.class::isInstance).findFirst().get();
      assertThat(full.depth()).hasSize(5);
      assertThat(full.depth().get(0).bidPrice()).isLessThan(full.lastPrice());
      assertThat(full.depth().get(0).askPrice()).isGreaterThan(full.lastPrice());
      assertThat(full.depth().get(4).bidPrice()).isLessThan(full.depth().get(0).bidPrice());
    }
  }

  @Test
  void prev_close_comes_once_per_subscribe_first() {
    try (FeedClient client = connect()) {
      client.send(FeedRequest.subscribe(FeedMode.TICKER, List.of(RELIANCE)));
      await().atMost(WAIT).until(() -> count(client, TickerPacket.class::isInstance) >= 5);
      assertThat(client.packets.get(0)).isInstanceOf(PrevClosePacket.class);
      assertThat(count(client, PrevClosePacket.class::isInstance)).isEqualTo(1);

      client.send(FeedRequest.subscribe(FeedMode.QUOTE, List.of(RELIANCE)));
      await().atMost(WAIT).until(() -> count(client, PrevClosePacket.class::isInstance) == 2);
    }
  }

  @Test
  void unsubscribe_stops_that_instrument_only() {
    try (FeedClient client = connect()) {
      client.send(FeedRequest.subscribe(FeedMode.TICKER, List.of(RELIANCE, NIFTY_FUT)));
      await().atMost(WAIT).until(() -> count(client, p -> isTickerFor(p, RELIANCE)) >= 2);
      client.send(FeedRequest.unsubscribe(FeedMode.TICKER, List.of(RELIANCE)));
      await()
          .atMost(WAIT)
          .until(
              () ->
                  simulator.state().connections().stream().anyMatch(c -> c.instrumentCount() == 1));
      long relianceAfterUnsubscribe = count(client, p -> isTickerFor(p, RELIANCE));
      long futuresNow = count(client, p -> isTickerFor(p, NIFTY_FUT));
      // Ten more futures ticks at 20/s: had RELIANCE kept going, it would have ticked too.
      await()
          .atMost(WAIT)
          .until(() -> count(client, p -> isTickerFor(p, NIFTY_FUT)) >= futuresNow + 10);
      assertThat(count(client, p -> isTickerFor(p, RELIANCE))).isEqualTo(relianceAfterUnsubscribe);
    }
  }

  @Test
  void disconnect_request_closes_cleanly() throws Exception {
    try (FeedClient client = connect()) {
      client.send(FeedRequest.subscribe(FeedMode.TICKER, List.of(RELIANCE)));
      client.send(FeedRequest.disconnect());
      assertThat(client.awaitClose()).isEqualTo(1000);
    }
  }

  @Test
  void a_binary_frame_from_the_client_is_ignored_not_fatal() {
    try (FeedClient client = connect()) {
      client.sendBinary(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
      client.send(FeedRequest.subscribe(FeedMode.TICKER, List.of(RELIANCE)));
      await().atMost(WAIT).until(() -> count(client, TickerPacket.class::isInstance) >= 2);
      assertThat(client.isOpen()).isTrue();
    }
  }

  @Test
  void a_request_that_is_not_json_is_counted_and_the_connection_stays() {
    long before = simulator.state().stats().badRequests();
    try (FeedClient client = connect()) {
      client.sendText("{not json");
      await().atMost(WAIT).until(() -> simulator.state().stats().badRequests() == before + 1);
      client.send(FeedRequest.subscribe(FeedMode.TICKER, List.of(RELIANCE)));
      await().atMost(WAIT).until(() -> count(client, TickerPacket.class::isInstance) >= 1);
    }
  }

  @Test
  void connections_on_one_instrument_share_one_market_and_the_same_seed_repeats_it() {
    Instrument future = Instrument.of(ExchangeSegment.NSE_FNO, 55797);
    try (FeedClient first = connect();
        FeedClient second = connect()) {
      first.send(FeedRequest.subscribe(FeedMode.TICKER, List.of(future)));
      second.send(FeedRequest.subscribe(FeedMode.TICKER, List.of(future)));
      await().atMost(WAIT).until(() -> first.packets.size() >= 4 && second.packets.size() >= 4);
      assertThat(first.packets.get(0)).isEqualTo(second.packets.get(0));
      assertThat(simulator.state().minutes(future)).isNotEmpty();
    }
    // The market's first trade went to one of the two; a fresh simulator's sole client gets it.
    float open = simulator.state().minutes(future).get(0).open();
    try (FeedSimulator again = FeedSimulator.start(SimulatorConfig.defaults().withMarket(20, 7));
        FeedClient client =
            FeedClient.connect(
                again.feedUrl(
                    SimulatorConfig.DEFAULT_CLIENT_ID, SimulatorConfig.DEFAULT_ACCESS_TOKEN))) {
      client.send(FeedRequest.subscribe(FeedMode.TICKER, List.of(future)));
      await().atMost(WAIT).until(() -> client.packets.size() >= 2);
      assertThat(((TickerPacket) client.packets.get(1)).lastPrice()).isEqualTo(open);
    }
  }

  private static boolean isTickerFor(Object packet, Instrument instrument) {
    return packet instanceof TickerPacket t && t.instrument().equals(instrument);
  }

  private static long count(FeedClient client, Predicate<Object> which) {
    return client.packets.stream().filter(which).count();
  }
}
