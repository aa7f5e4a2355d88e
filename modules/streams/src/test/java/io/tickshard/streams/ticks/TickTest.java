package io.tickshard.streams.ticks;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickshard.feed.DepthLevel;
import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.FeedMode;
import io.tickshard.feed.FullPacket;
import io.tickshard.feed.Instrument;
import io.tickshard.feed.LastTradeTime;
import io.tickshard.feed.OiPacket;
import io.tickshard.feed.PrevClosePacket;
import io.tickshard.feed.QuotePacket;
import io.tickshard.feed.TickerPacket;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Each packet kind becomes a flat tick carrying only the fields that kind has. */
public class TickTest {
  static final Instant RECEIVED = Instant.parse("2025-01-03T04:30:00.123Z");

  /** 10:00:05 IST on a Friday, as the broker sends it: epoch seconds shifted by IST. */
  static final Instant TRADED =
      ZonedDateTime.of(2025, 1, 3, 10, 0, 5, 0, ZoneId.of("Asia/Kolkata")).toInstant();

  public static final int RAW_LTT = LastTradeTime.toRaw(TRADED);

  /** The names of the optional fields a tick has set (always-present identity fields left out). */
  static Set<String> setFields(Tick tick) {
    Set<String> names = new TreeSet<>();
    for (RecordComponent component : Tick.class.getRecordComponents()) {
      String name = component.getName();
      if (Set.of("segment", "securityId", "kind", "receivedAt").contains(name)) {
        continue;
      }
      try {
        if (component.getAccessor().invoke(tick) != null) {
          names.add(name);
        }
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    }
    return names;
  }

  static QuotePacket quote(ExchangeSegment segment, int id, float ltp) {
    return new QuotePacket(
        segment, id, ltp, 25, RAW_LTT, 101.25f, 150_000, 7_000, 6_000, 100.5f, 99.0f, 110.75f,
        95.5f);
  }

  /** A full packet of an NSE F&O contract, five depth levels, OI 444,444. */
  static FullPacket fullPacket() {
    List<DepthLevel> depth =
        List.of(
            new DepthLevel(11, 12, 3, 4, 101.5f, 101.75f),
            new DepthLevel(21, 22, 5, 6, 101.45f, 101.8f),
            new DepthLevel(31, 32, 7, 8, 101.4f, 101.85f),
            new DepthLevel(41, 42, 9, 10, 101.35f, 101.9f),
            new DepthLevel(51, 52, 11, 12, 101.3f, 101.95f));
    return new FullPacket(
        ExchangeSegment.NSE_FNO,
        55796,
        101.6f,
        50,
        RAW_LTT,
        101.2f,
        300_000,
        8_000,
        9_000,
        444_444,
        500_000,
        400_000,
        100.0f,
        98.5f,
        103.0f,
        97.0f,
        depth);
  }

  static PrevClosePacket prevClose(ExchangeSegment segment, int id, float previousClose) {
    return new PrevClosePacket(segment, id, previousClose, 12_345);
  }

  @Test
  void the_raw_trade_time_is_the_ist_shifted_epoch() {
    assertThat(RAW_LTT).isEqualTo(TRADED.getEpochSecond() + 19_800);
    assertThat(LastTradeTime.toInstant(RAW_LTT)).isEqualTo(TRADED);
  }

  @Nested
  class From {

    @Test
    void a_ticker_packet_carries_price_and_trade_time() {
      Tick tick =
          Tick.from(new TickerPacket(ExchangeSegment.NSE_EQ, 1333, 1650.5f, RAW_LTT), RECEIVED);

      assertThat(tick.kind()).isEqualTo("ticker");
      assertThat(tick.segment()).isEqualTo("NSE_EQ");
      assertThat(tick.securityId()).isEqualTo(1333);
      assertThat(tick.ltp()).isEqualTo(1650.5f);
      assertThat(tick.lastTradeTime())
          .isEqualTo(LastTradeTime.toInstant(RAW_LTT))
          .isEqualTo(TRADED);
      assertThat(tick.receivedAt()).isEqualTo(RECEIVED);
      assertThat(setFields(tick)).containsExactlyInAnyOrder("ltp", "lastTradeTime");
    }

    @Test
    void a_quote_packet_carries_trade_volume_and_ohlc() {
      Tick tick = Tick.from(quote(ExchangeSegment.NSE_FNO, 55796, 102.0f), RECEIVED);

      assertThat(tick.kind()).isEqualTo("quote");
      assertThat(tick.segment()).isEqualTo("NSE_FNO");
      assertThat(tick.securityId()).isEqualTo(55796);
      assertThat(tick.ltp()).isEqualTo(102.0f);
      assertThat(tick.ltq()).isEqualTo(25);
      assertThat(tick.lastTradeTime()).isEqualTo(TRADED);
      assertThat(tick.averagePrice()).isEqualTo(101.25f);
      assertThat(tick.volume()).isEqualTo(150_000);
      // The wire puts sell before buy; the tick must not swap them.
      assertThat(tick.totalSellQuantity()).isEqualTo(7_000);
      assertThat(tick.totalBuyQuantity()).isEqualTo(6_000);
      // The wire order is open, close, high, low.
      assertThat(tick.open()).isEqualTo(100.5f);
      assertThat(tick.close()).isEqualTo(99.0f);
      assertThat(tick.high()).isEqualTo(110.75f);
      assertThat(tick.low()).isEqualTo(95.5f);
      assertThat(tick.receivedAt()).isEqualTo(RECEIVED);
      assertThat(setFields(tick))
          .containsExactlyInAnyOrder(
              "ltp",
              "ltq",
              "lastTradeTime",
              "averagePrice",
              "volume",
              "totalBuyQuantity",
              "totalSellQuantity",
              "open",
              "high",
              "low",
              "close");
    }

    @Test
    void an_oi_packet_carries_only_open_interest() {
      Tick tick = Tick.from(new OiPacket(ExchangeSegment.NSE_FNO, 55796, 987_654), RECEIVED);

      assertThat(tick.kind()).isEqualTo("oi");
      assertThat(tick.segment()).isEqualTo("NSE_FNO");
      assertThat(tick.securityId()).isEqualTo(55796);
      assertThat(tick.openInterest()).isEqualTo(987_654);
      assertThat(setFields(tick)).containsExactly("openInterest");
    }

    @Test
    void a_prev_close_packet_carries_only_the_previous_close() {
      Tick tick = Tick.from(prevClose(ExchangeSegment.NSE_EQ, 1333, 1640.25f), RECEIVED);

      assertThat(tick.kind()).isEqualTo("prev_close");
      assertThat(tick.previousClose()).isEqualTo(1640.25f);
      assertThat(setFields(tick)).containsExactly("previousClose");
    }

    @Test
    void a_full_packet_carries_quote_oi_and_the_best_bid_and_ask_from_depth_level_0() {
      FullPacket packet = fullPacket();

      Tick tick = Tick.from(packet, RECEIVED);

      assertThat(tick.kind()).isEqualTo("full");
      assertThat(tick.segment()).isEqualTo("NSE_FNO");
      assertThat(tick.securityId()).isEqualTo(55796);
      assertThat(tick.ltp()).isEqualTo(101.6f);
      assertThat(tick.ltq()).isEqualTo(50);
      assertThat(tick.lastTradeTime()).isEqualTo(TRADED);
      assertThat(tick.averagePrice()).isEqualTo(101.2f);
      assertThat(tick.volume()).isEqualTo(300_000);
      assertThat(tick.totalSellQuantity()).isEqualTo(8_000);
      assertThat(tick.totalBuyQuantity()).isEqualTo(9_000);
      assertThat(tick.openInterest()).isEqualTo(444_444);
      assertThat(tick.open()).isEqualTo(100.0f);
      assertThat(tick.close()).isEqualTo(98.5f);
      assertThat(tick.high()).isEqualTo(103.0f);
      assertThat(tick.low()).isEqualTo(97.0f);
      assertThat(tick.bidPrice()).isEqualTo(101.5f);
      assertThat(tick.bidQuantity()).isEqualTo(11);
      assertThat(tick.askPrice()).isEqualTo(101.75f);
      assertThat(tick.askQuantity()).isEqualTo(12);
      assertThat(tick.previousClose()).isNull();
      assertThat(setFields(tick))
          .containsExactlyInAnyOrder(
              "ltp",
              "ltq",
              "lastTradeTime",
              "averagePrice",
              "volume",
              "totalBuyQuantity",
              "totalSellQuantity",
              "open",
              "high",
              "low",
              "close",
              "openInterest",
              "bidPrice",
              "bidQuantity",
              "askPrice",
              "askQuantity");
    }

    @Test
    void a_trade_time_past_2038_is_read_as_unsigned() {
      Instant in2040 = Instant.parse("2040-06-01T04:00:00Z");
      int raw = LastTradeTime.toRaw(in2040);
      assertThat(raw).isNegative();

      Tick tick = Tick.from(new TickerPacket(ExchangeSegment.NSE_EQ, 1, 10f, raw), RECEIVED);

      assertThat(tick.lastTradeTime()).isEqualTo(in2040);
    }

    @Test
    void the_tick_names_its_instrument() {
      Tick tick = Tick.from(new OiPacket(ExchangeSegment.NSE_FNO, 55796, 1), RECEIVED);

      assertThat(tick.instrument()).isEqualTo(Instrument.of(ExchangeSegment.NSE_FNO, 55796));
    }
  }

  @Nested
  class Over {

    @Test
    void a_quote_over_a_prev_close_keeps_both() {
      Tick older = Tick.from(prevClose(ExchangeSegment.NSE_EQ, 1333, 1640.25f), RECEIVED);
      Instant later = RECEIVED.plusSeconds(1);
      Tick newer = Tick.from(quote(ExchangeSegment.NSE_EQ, 1333, 1650.0f), later);

      Tick merged = newer.over(older);

      assertThat(merged.previousClose()).isEqualTo(1640.25f);
      assertThat(merged.ltp()).isEqualTo(1650.0f);
      assertThat(merged.volume()).isEqualTo(150_000);
      assertThat(merged.kind()).isEqualTo("quote");
      assertThat(merged.receivedAt()).isEqualTo(later);
      assertThat(merged.segment()).isEqualTo("NSE_EQ");
      assertThat(merged.securityId()).isEqualTo(1333);
    }

    @Test
    void newer_values_win_and_newer_nulls_do_not_erase_older_values() {
      Tick quote = Tick.from(quote(ExchangeSegment.NSE_EQ, 1333, 1650.0f), RECEIVED);
      Instant later = RECEIVED.plusSeconds(2);
      Tick ticker =
          Tick.from(new TickerPacket(ExchangeSegment.NSE_EQ, 1333, 1655.5f, RAW_LTT + 2), later);

      Tick merged = ticker.over(quote);

      assertThat(merged.ltp()).isEqualTo(1655.5f);
      assertThat(merged.lastTradeTime()).isEqualTo(TRADED.plusSeconds(2));
      // The ticker has no quantity, volume or OHLC: the quote's remain.
      assertThat(merged.ltq()).isEqualTo(25);
      assertThat(merged.volume()).isEqualTo(150_000);
      assertThat(merged.open()).isEqualTo(100.5f);
      assertThat(merged.high()).isEqualTo(110.75f);
      assertThat(merged.low()).isEqualTo(95.5f);
      assertThat(merged.close()).isEqualTo(99.0f);
      assertThat(merged.totalBuyQuantity()).isEqualTo(6_000);
      assertThat(merged.totalSellQuantity()).isEqualTo(7_000);
      assertThat(merged.kind()).isEqualTo("ticker");
      assertThat(merged.receivedAt()).isEqualTo(later);
    }

    @Test
    void a_field_neither_tick_has_stays_null() {
      Tick ticker =
          Tick.from(new TickerPacket(ExchangeSegment.NSE_EQ, 1333, 1650f, RAW_LTT), RECEIVED);
      Tick prevClose = Tick.from(prevClose(ExchangeSegment.NSE_EQ, 1333, 1640f), RECEIVED);

      assertThat(setFields(ticker.over(prevClose)))
          .containsExactlyInAnyOrder("ltp", "lastTradeTime", "previousClose");
    }

    @Test
    void over_is_not_symmetric_the_receiver_wins() {
      Tick first = Tick.from(quote(ExchangeSegment.NSE_EQ, 1, 100f), RECEIVED);
      Tick second = Tick.from(quote(ExchangeSegment.NSE_EQ, 1, 200f), RECEIVED.plusSeconds(1));

      assertThat(second.over(first).ltp()).isEqualTo(200f);
      assertThat(first.over(second).ltp()).isEqualTo(100f);
    }
  }

  @Nested
  class InAMode {
    private final Tick full = Tick.from(fullPacket(), RECEIVED);

    @Test
    void a_full_tick_to_a_quote_key_is_a_quote_tick_without_depth_and_an_oi_tick() {
      List<Tick> ticks = full.in(FeedMode.QUOTE);

      assertThat(ticks).extracting(Tick::kind).containsExactly("quote", "oi");
      assertThat(setFields(ticks.get(0)))
          .contains("ltp", "ltq", "volume", "open", "high", "low", "close")
          .doesNotContain("bidPrice", "askPrice", "bidQuantity", "askQuantity", "openInterest");
      assertThat(ticks.get(0).ltp()).isEqualTo(101.6f);
      assertThat(ticks.get(1).openInterest()).isEqualTo(444_444);
      assertThat(ticks).allSatisfy(t -> assertThat(t.receivedAt()).isEqualTo(RECEIVED));
    }

    @Test
    void a_full_or_quote_tick_to_a_ticker_key_is_price_and_trade_time_only() {
      Tick quote = Tick.from(quote(ExchangeSegment.NSE_EQ, 1333, 1650.0f), RECEIVED);
      for (Tick tick : List.of(full, quote)) {
        assertThat(tick.in(FeedMode.TICKER))
            .singleElement()
            .satisfies(
                t -> {
                  assertThat(t.kind()).isEqualTo("ticker");
                  assertThat(setFields(t)).containsOnly("ltp", "lastTradeTime");
                });
      }
    }

    @Test
    void a_key_in_the_subscription_s_own_mode_gets_the_tick_as_it_is() {
      assertThat(full.in(FeedMode.FULL)).containsExactly(full);
      Tick prevClose = Tick.from(prevClose(ExchangeSegment.NSE_EQ, 1333, 1640.25f), RECEIVED);
      for (FeedMode mode : FeedMode.values()) {
        assertThat(prevClose.in(mode)).containsExactly(prevClose);
      }
      Tick oi = Tick.from(new OiPacket(ExchangeSegment.NSE_FNO, 55796, 10), RECEIVED);
      assertThat(oi.in(FeedMode.TICKER)).isEmpty();
      assertThat(oi.in(FeedMode.QUOTE)).containsExactly(oi);
    }
  }

  @Test
  void a_snapshot_entry_cut_to_a_lower_mode_keeps_the_previous_close_and_merges_its_fields() {
    // The latest values of a contract subscribed in full for another key: its previous close came
    // first, then full packets.
    Tick latest =
        Tick.from(fullPacket(), RECEIVED)
            .over(Tick.from(prevClose(ExchangeSegment.NSE_FNO, 55796, 99.25f), RECEIVED));

    Tick quote = latest.latestIn(FeedMode.QUOTE).orElseThrow();
    assertThat(quote.kind()).isEqualTo("quote");
    assertThat(quote.previousClose()).isEqualTo(99.25f);
    assertThat(quote.ltp()).isEqualTo(101.6f);
    assertThat(quote.openInterest()).isEqualTo(444_444); // the OI tick a quote key gets, merged
    assertThat(quote.bidPrice()).isNull(); // depth is the full key's

    Tick ticker = latest.latestIn(FeedMode.TICKER).orElseThrow();
    assertThat(ticker.previousClose()).isEqualTo(99.25f);
    assertThat(ticker.volume()).isNull();
    assertThat(latest.latestIn(FeedMode.FULL).orElseThrow()).isEqualTo(latest);
  }
}
