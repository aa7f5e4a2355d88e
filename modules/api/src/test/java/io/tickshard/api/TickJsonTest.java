package io.tickshard.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.LastTradeTime;
import io.tickshard.feed.OiPacket;
import io.tickshard.feed.QuotePacket;
import io.tickshard.streams.ticks.Tick;
import java.time.Instant;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

/**
 * A tick event written by hand is the one Jackson wrote before it, byte for byte: browsers and the
 * bench's readers parse what they always did.
 */
class TickJsonTest {

  /** The event as {@code TickEvents} wrote it through Jackson. */
  private static ByteString jackson(Tick tick) {
    return ByteString.fromString("event: tick\ndata: " + ApiJson.write(tick) + "\n\n");
  }

  private static void assertWrittenAsJacksonWrites(Tick tick) {
    ByteString byHand = TickJson.event(tick);
    ByteString expected = jackson(tick);
    // Text first, for a readable difference; then the bytes, which are what is sent.
    assertThat(byHand.utf8String()).as("%s", tick).isEqualTo(expected.utf8String());
    assertThat(byHand.toArray()).as("%s", tick).isEqualTo(expected.toArray());
  }

  private static String data(Tick tick) {
    String event = TickJson.event(tick).utf8String();
    assertThat(event).startsWith("event: tick\ndata: ").endsWith("\n\n");
    return event.substring("event: tick\ndata: ".length(), event.length() - 2);
  }

  private static Tick ltp(Float ltp) {
    return new Tick(
        "NSE_EQ",
        2885,
        "ticker",
        ltp,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        Instant.EPOCH);
  }

  private static Tick receivedAt(Instant receivedAt) {
    return new Tick(
        "NSE_EQ",
        2885,
        "oi",
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        1,
        null,
        null,
        null,
        null,
        receivedAt);
  }

  @Test
  void a_quote_tick_reads_as_the_browser_expects() {
    Tick quote =
        Tick.from(
            new QuotePacket(
                ExchangeSegment.NSE_EQ,
                2885,
                1402.55f,
                10,
                LastTradeTime.toRaw(Instant.parse("2026-12-02T03:59:58Z")),
                1401.9f,
                125_000,
                5_300,
                6_100,
                1398f,
                1395.5f,
                1410.25f,
                1392f),
            Instant.parse("2026-12-02T04:00:00.123Z"));

    assertThat(TickJson.event(quote).utf8String())
        .isEqualTo(
            "event: tick\ndata: {\"segment\":\"NSE_EQ\",\"securityId\":2885,\"kind\":\"quote\","
                + "\"ltp\":1402.55,\"ltq\":10,\"lastTradeTime\":\"2026-12-02T03:59:58Z\","
                + "\"averagePrice\":1401.9,\"volume\":125000,\"totalBuyQuantity\":6100,"
                + "\"totalSellQuantity\":5300,\"open\":1398.0,\"high\":1410.25,\"low\":1392.0,"
                + "\"close\":1395.5,\"receivedAt\":\"2026-12-02T04:00:00.123Z\"}\n\n");
    assertWrittenAsJacksonWrites(quote);
  }

  @Test
  void an_oi_tick_leaves_out_the_fields_it_does_not_carry() {
    Tick oi =
        Tick.from(
            new OiPacket(ExchangeSegment.NSE_FNO, 55796, 1200),
            Instant.parse("2026-12-02T04:00:01Z"));

    assertThat(data(oi))
        .isEqualTo(
            "{\"segment\":\"NSE_FNO\",\"securityId\":55796,\"kind\":\"oi\",\"openInterest\":1200,"
                + "\"receivedAt\":\"2026-12-02T04:00:01Z\"}");
    assertWrittenAsJacksonWrites(oi);
  }

  @Test
  void a_tick_without_segment_or_kind_still_starts_with_its_security_id() {
    Tick bare =
        new Tick(
            null, -7, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null);

    assertThat(data(bare)).isEqualTo("{\"securityId\":-7}");
    assertWrittenAsJacksonWrites(bare);
  }

  @Test
  void instants_have_as_many_fraction_digits_as_iso_instant_gives() {
    String[][] cases = {
      {"2026-12-02T04:00:00Z", "2026-12-02T04:00:00Z"},
      {"2026-12-02T04:00:00.100Z", "2026-12-02T04:00:00.100Z"},
      {"2026-12-02T04:00:00.1234Z", "2026-12-02T04:00:00.123400Z"},
      {"2026-12-02T04:00:00.000000001Z", "2026-12-02T04:00:00.000000001Z"},
      {"1969-12-31T23:59:59.999Z", "1969-12-31T23:59:59.999Z"},
      {"2024-02-29T12:00:00Z", "2024-02-29T12:00:00Z"},
      {"0000-01-01T00:00:00Z", "0000-01-01T00:00:00Z"},
      {"-0001-12-31T23:59:59Z", "-0001-12-31T23:59:59Z"},
      {"+10000-01-01T00:00:00Z", "+10000-01-01T00:00:00Z"},
    };
    for (String[] instant : cases) {
      Tick tick = receivedAt(Instant.parse(instant[0]));
      assertThat(data(tick)).endsWith("\"receivedAt\":\"" + instant[1] + "\"}");
      assertWrittenAsJacksonWrites(tick);
    }
    assertWrittenAsJacksonWrites(receivedAt(Instant.MIN));
    assertWrittenAsJacksonWrites(receivedAt(Instant.MAX));
  }

  @Test
  void floats_are_written_as_java_prints_them_and_non_numbers_as_strings() {
    Object[][] cases = {
      {1.0E-5f, "1.0E-5"},
      {1.0E10f, "1.0E10"},
      {1.0E7f, "1.0E7"},
      {9999999f, "9999999.0"},
      {0.001f, "0.001"},
      {-0f, "-0.0"},
      {Float.NaN, "\"NaN\""},
      {Float.NEGATIVE_INFINITY, "\"-Infinity\""},
    };
    for (Object[] ltp : cases) {
      Tick tick = ltp((Float) ltp[0]);
      assertThat(data(tick)).contains("\"ltp\":" + ltp[1] + ",");
      assertWrittenAsJacksonWrites(tick);
    }
  }

  @Test
  void strings_are_escaped_as_jackson_escapes_them() {
    Tick tick =
        new Tick(
            "a\"b\\c/\u0001\u001f\u007f",
            1,
            "\t\n caf\u00e9 \ud83d\udcc8 \ud800",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            Instant.EPOCH);

    assertThat(data(tick))
        .startsWith(
            "{\"segment\":\"a\\\"b\\\\c/\\u0001\\u001F\u007f\",\"securityId\":1,"
                + "\"kind\":\"\\t\\n caf\u00e9 \ud83d\udcc8 ?\"");
    assertWrittenAsJacksonWrites(tick);
  }

  @Test
  void any_tick_is_written_byte_for_byte_as_jackson_writes_it() {
    RandomTicks ticks = new RandomTicks(20261202L);
    for (int i = 0; i < 20_000; i++) {
      assertWrittenAsJacksonWrites(ticks.anyTick());
    }
  }

  @Test
  void ticks_of_every_packet_kind_are_written_byte_for_byte_as_jackson_writes_them() {
    RandomTicks ticks = new RandomTicks(20261203L);
    for (int i = 0; i < 4_000; i++) {
      for (Tick tick : ticks.fromPackets()) {
        assertWrittenAsJacksonWrites(tick);
      }
    }
  }

  @Test
  void a_tick_that_outgrows_the_buffer_leaves_nothing_in_the_next_one() {
    Tick big =
        new Tick(
            "x".repeat(5_000),
            1,
            "full",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    assertWrittenAsJacksonWrites(big);
    assertWrittenAsJacksonWrites(ltp(1.0E-5f));
    assertWrittenAsJacksonWrites(receivedAt(Instant.EPOCH));
  }
}
