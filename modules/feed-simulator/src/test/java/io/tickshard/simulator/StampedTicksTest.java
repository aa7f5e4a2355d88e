package io.tickshard.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.FeedMode;
import io.tickshard.feed.FeedRequest;
import io.tickshard.feed.Instrument;
import io.tickshard.feed.LastTradeTime;
import io.tickshard.feed.QuotePacket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the load tool reads from a stamped packet: its send time and its place in the sequence. */
class StampedTicksTest {
  private static final Instrument RELIANCE = Instrument.of(ExchangeSegment.NSE_EQ, 2885);
  private static final Instrument TCS = Instrument.of(ExchangeSegment.NSE_EQ, 11536);

  private static FeedSimulator simulator;

  @BeforeAll
  static void start() {
    simulator =
        FeedSimulator.start(SimulatorConfig.defaults().withMarket(50, 7).withStampedTicks(true));
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  @Test
  void quotes_carry_their_send_time_and_a_gapless_sequence_per_instrument() {
    Instant before = Instant.now();
    try (FeedClient client =
        FeedClient.connect(
            simulator.feedUrl(
                SimulatorConfig.DEFAULT_CLIENT_ID, SimulatorConfig.DEFAULT_ACCESS_TOKEN))) {
      client.send(FeedRequest.subscribe(FeedMode.QUOTE, List.of(RELIANCE, TCS)));
      await().atMost(Duration.ofSeconds(10)).until(() -> quotes(client, 2885).size() >= 5);
      Instant after = Instant.now();

      List<QuotePacket> reliance = quotes(client, 2885);
      for (int i = 0; i < reliance.size(); i++) {
        QuotePacket quote = reliance.get(i);
        assertThat(quote.volume()).isEqualTo(i + 1);
        Instant sent =
            LastTradeTime.toInstant(quote.lastTradeTime())
                .plusNanos(quote.totalSellQuantity() * 1_000L);
        assertThat(sent).isBetween(before.minusMillis(1), after);
      }
      assertThat(quotes(client, 11536)).first().extracting(QuotePacket::volume).isEqualTo(1);
    }
  }

  @Test
  void unstamped_by_default() {
    assertThat(SimulatorConfig.defaults().stampTicks()).isFalse();
    assertThat(SimulatorMain.parse(new String[] {"--stamp-ticks"}).stampTicks()).isTrue();
  }

  private static List<QuotePacket> quotes(FeedClient client, int securityId) {
    return client.packets.stream()
        .filter(p -> p instanceof QuotePacket q && q.securityId() == securityId)
        .map(QuotePacket.class::cast)
        .toList();
  }
}
