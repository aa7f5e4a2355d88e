package io.tickshard.redis;

import io.tickshard.streams.ticks.Tick;

/**
 * A tick as the old app's tick streamer wrote it: the {@code screener_ltp_update} message its
 * Action Cable re-broadcaster reads from the channel, and the price text of its {@code ltp:} keys.
 * Written by hand: one short string per tick on the writer's thread, no reflection.
 */
final class LtpUpdate {
  private LtpUpdate() {}

  /** The instrument as the old app named it: {@code NSE_EQ:1333}. */
  static String instrumentKey(Tick tick) {
    return tick.segment() + ":" + tick.securityId();
  }

  /**
   * {@code {"type":"screener_ltp_update","instrument_key":"NSE_EQ:1333","ltp":…,"volume":…,
   * "day_open":…,"day_high":…,"day_low":…,"tick_kind":"quote","source":"websocket"}}; a field the
   * packet kind does not carry (a ticker tick has only the price) is {@code null}.
   */
  static String message(Tick tick) {
    StringBuilder json = new StringBuilder(200);
    json.append("{\"type\":\"screener_ltp_update\",\"instrument_key\":\"")
        .append(tick.segment())
        .append(':')
        .append(tick.securityId())
        .append("\",\"ltp\":");
    number(json, tick.ltp());
    json.append(",\"volume\":").append(tick.volume());
    json.append(",\"day_open\":");
    number(json, tick.open());
    json.append(",\"day_high\":");
    number(json, tick.high());
    json.append(",\"day_low\":");
    number(json, tick.low());
    // Kinds are the feed's own words (ticker, quote, full): nothing to escape.
    json.append(",\"tick_kind\":\"").append(tick.kind()).append("\",\"source\":\"websocket\"}");
    return json.toString();
  }

  /** The price as a plain decimal, e.g. {@code 1534.5}: what the {@code ltp:} keys hold. */
  static String price(float price) {
    // Float.toString switches to exponent notation from 10^7 on; no price gets there, but a key
    // must never hold "1.0E7".
    return price < 1e7f && price >= 1e-3f
        ? Float.toString(price)
        : new java.math.BigDecimal(Float.toString(price)).toPlainString();
  }

  private static void number(StringBuilder json, Float value) {
    if (value == null || value.isNaN() || value.isInfinite()) {
      json.append("null");
    } else {
      json.append(price(value));
    }
  }
}
