package io.tickshard.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.LastTradeTime;
import io.tickshard.feed.QuotePacket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class TickStampTest {
  private static final Instant SENT = Instant.parse("2026-12-02T04:00:07.123456Z");

  /** A quote tick as tickshard's SSE writes it (Tick, ApiJson), stamped by the simulator. */
  private static final String TICKSHARD =
      "{\"segment\":\"NSE_EQ\",\"securityId\":2885,\"kind\":\"quote\",\"ltp\":1402.5,\"ltq\":10,"
          + "\"lastTradeTime\":\"2026-12-02T04:00:07Z\",\"averagePrice\":1401.0,\"volume\":42,"
          + "\"totalBuyQuantity\":5000,\"totalSellQuantity\":123456,\"open\":1400.0,"
          + "\"high\":1405.0,\"low\":1399.0,\"close\":1398.0,"
          + "\"receivedAt\":\"2026-12-02T04:00:07.125000001Z\"}";

  @Test
  void a_viewer_reads_the_send_time_and_sequence_of_a_tickshard_quote() {
    TickStamp stamp = TickStamp.parse(TICKSHARD);
    assertThat(stamp.securityId()).isEqualTo(2885);
    assertThat(stamp.sequence()).isEqualTo(42);
    assertThat(stamp.sentMicros())
        .isEqualTo(SENT.getEpochSecond() * 1_000_000L + SENT.getNano() / 1_000);
  }

  @Test
  void the_plain_websocket_client_reads_the_same_from_the_packet() {
    QuotePacket quote =
        new QuotePacket(
            ExchangeSegment.NSE_EQ,
            2885,
            1402.5f,
            10,
            LastTradeTime.toRaw(SENT),
            1401f,
            42,
            123_456,
            5_000,
            1400f,
            1398f,
            1405f,
            1399f);
    assertThat(TickStamp.of(quote)).isEqualTo(TickStamp.parse(TICKSHARD));
  }

  @Test
  void anything_but_a_quote_carries_no_stamp() {
    assertThat(TickStamp.parse(TICKSHARD.replace("\"quote\"", "\"ticker\""))).isNull();
    assertThat(TickStamp.parse("{\"kind\":\"quote\",\"securityId\":1}")).isNull();
  }

  @Test
  void a_trade_time_is_read_as_instant_parse_reads_it() {
    for (String text :
        new String[] {
          "2026-12-02T04:00:07Z",
          "1970-01-01T00:00:00Z",
          "2028-02-29T23:59:59Z",
          "2026-12-02T04:00:07.5Z",
          "2026-12-02T09:30:07+05:30"
        }) {
      byte[] bytes = ("x\"" + text + "\"").getBytes(StandardCharsets.US_ASCII);
      assertThat(TickStamp.epochSecond(bytes, 2, bytes.length - 1))
          .as(text)
          .isEqualTo(OffsetDateTime.parse(text).toEpochSecond());
    }
  }

  @Test
  void now_is_in_microseconds_of_the_wall_clock() {
    long before = System.currentTimeMillis() * 1_000;
    long now = TickStamp.nowMicros();
    assertThat(now).isBetween(before - 1_000, System.currentTimeMillis() * 1_000 + 1_000);
  }
}
