package io.tickshard.streams.candles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.FeedDecoder;
import io.tickshard.feed.FeedMode;
import io.tickshard.feed.FeedRequest;
import io.tickshard.feed.Instrument;
import io.tickshard.feed.MarketPacket;
import io.tickshard.simulator.FeedSimulator;
import io.tickshard.simulator.RecordedMinute;
import io.tickshard.simulator.SimulatorConfig;
import io.tickshard.streams.ticks.Tick;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * The goal on one socket: candles built from a real feed socket's ticks equal the
 * simulator's own record of every minute, exactly — open, high, low, close, volume and OI.
 */
class CandlesFromTheSimulatorTest {
  private static final List<Instrument> INSTRUMENTS =
      List.of(
          Instrument.of(ExchangeSegment.NSE_EQ, 1333),
          Instrument.of(ExchangeSegment.NSE_EQ, 11536),
          Instrument.of(ExchangeSegment.NSE_FNO, 35001));

  @Test
  void every_candle_equals_the_simulator_record_of_its_minute() throws Exception {
    ConcurrentLinkedQueue<Tick> ticks = new ConcurrentLinkedQueue<>();
    try (FeedSimulator simulator =
        FeedSimulator.start(SimulatorConfig.defaults().withMarket(20, 11))) {
      WebSocket socket =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .buildAsync(
                  simulator.feedUrl(
                      SimulatorConfig.DEFAULT_CLIENT_ID, SimulatorConfig.DEFAULT_ACCESS_TOKEN),
                  new Decoding(ticks))
              .join();
      for (FeedRequest request : FeedRequest.subscribe(FeedMode.QUOTE, INSTRUMENTS)) {
        socket.sendText(request.toJson(), true).join();
      }
      // Past a minute boundary, then no more trades; what was sent still arrives.
      await()
          .atMost(Duration.ofSeconds(75))
          .until(() -> simulator.state().minutes(INSTRUMENTS.get(0)).size() >= 2);
      simulator.state().stall(Optional.empty(), true);
      int[] seen = {-1};
      await()
          .pollInterval(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                int now = ticks.size();
                boolean settled = now == seen[0];
                seen[0] = now;
                return settled;
              });

      List<MinuteCandle> candles = new ArrayList<>();
      // A fresh simulator's instruments have not traded: their day volume before is known to be
      // zero, as a hand-over would tell; so the first minute can be complete too.
      CandleBuilder builder = CandleBuilder.restore(neverTraded(), candles::add);
      ticks.forEach(builder::onTick);
      builder.closeUpTo(Instant.now().plus(Duration.ofMinutes(2)));

      for (Instrument instrument : INSTRUMENTS) {
        List<RecordedMinute> recorded = simulator.state().minutes(instrument);
        List<MinuteCandle> ofInstrument =
            candles.stream().filter(c -> c.instrument().equals(instrument)).toList();
        assertThat(ofInstrument).allMatch(MinuteCandle::complete);
        List<RecordedMinute> built =
            ofInstrument.stream().map(CandlesFromTheSimulatorTest::asRecorded).toList();
        assertThat(recorded).hasSizeGreaterThanOrEqualTo(2);
        assertThat(built).as("%s", instrument).isEqualTo(recorded);
      }
      socket.abort();
    }
  }

  private static FormingCandles neverTraded() {
    return new FormingCandles(
        INSTRUMENTS.stream()
            .map(i -> new FormingCandle(i, null, 0, 0, 0, 0, -1, -1, 0, null, false, null))
            .toList());
  }

  /** The simulator writes 0 open interest for segments without one; the builder, none. */
  private static RecordedMinute asRecorded(MinuteCandle candle) {
    return new RecordedMinute(
        candle.minute(),
        candle.open(),
        candle.high(),
        candle.low(),
        candle.close(),
        candle.volume(),
        candle.openInterest() == null ? 0 : candle.openInterest());
  }

  /** Decodes every binary frame into ticks, as the service's feed connection does. */
  private static final class Decoding implements WebSocket.Listener {
    private final FeedDecoder decoder = new FeedDecoder();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final ConcurrentLinkedQueue<Tick> ticks;

    Decoding(ConcurrentLinkedQueue<Tick> ticks) {
      this.ticks = ticks;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      partial.write(bytes, 0, bytes.length);
      if (last) {
        Instant received = Instant.now();
        decoder.decodeAll(partial.toByteArray()).packets().stream()
            .filter(MarketPacket.class::isInstance)
            .forEach(p -> ticks.add(Tick.from((MarketPacket) p, received)));
        partial.reset();
      }
      webSocket.request(1);
      return null;
    }
  }
}
