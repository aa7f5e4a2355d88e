package io.tickshard.bench.measure;

import io.tickshard.feed.LastTradeTime;
import io.tickshard.feed.QuotePacket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;

/**
 * What a stamped quote says (simulator {@code --stamp-ticks}): the instrument, its place in the
 * instrument's sequence (the volume), and when the simulator sent it (the last trade second plus
 * the microseconds in the total sell quantity).
 */
public record TickStamp(int securityId, long sequence, long sentMicros) {

  public static TickStamp of(QuotePacket quote) {
    return new TickStamp(
        quote.securityId(),
        quote.volume(),
        LastTradeTime.toInstant(quote.lastTradeTime()).getEpochSecond() * 1_000_000L
            + quote.totalSellQuantity());
  }

  /**
   * From a tick event's JSON (UTF-8 bytes), as tickshard and the baseline write it; {@code null}
   * for anything but a quote. A field scan rather than a JSON parser: a hundred thousand events a
   * second go through here on the machine being measured.
   */
  public static TickStamp parse(byte[] json, int length) {
    if (indexOf(json, length, KIND_QUOTE) < 0) {
      return null;
    }
    long id = number(json, length, SECURITY_ID);
    long volume = number(json, length, VOLUME);
    long micros = number(json, length, SELL_QUANTITY);
    int at = indexOf(json, length, LAST_TRADE_TIME);
    if (id < 0 || volume < 0 || micros < 0 || at < 0) {
      return null;
    }
    int from = at + LAST_TRADE_TIME.length;
    int to = from;
    while (to < length && json[to] != '"') {
      to++;
    }
    return new TickStamp((int) id, volume, epochSecond(json, from, to) * 1_000_000L + micros);
  }

  /**
   * An ISO instant's second; {@code 2026-12-02T04:00:07Z}, the form tickshard writes a trade time
   * in, read digit by digit: {@link Instant#parse} costs a microsecond, and a run of ten thousand
   * viewers reads a hundred thousand ticks a second on the machine being measured.
   */
  static long epochSecond(byte[] text, int from, int to) {
    if (to - from == 20
        && text[from + 4] == '-'
        && text[from + 7] == '-'
        && text[from + 10] == 'T'
        && text[from + 13] == ':'
        && text[from + 16] == ':'
        && text[from + 19] == 'Z') {
      int year = digits(text, from, 4);
      int month = digits(text, from + 5, 2);
      int day = digits(text, from + 8, 2);
      int hour = digits(text, from + 11, 2);
      int minute = digits(text, from + 14, 2);
      int second = digits(text, from + 17, 2);
      if (year >= 0
          && month >= 1
          && month <= 12
          && day >= 1
          && day <= 31
          && hour >= 0
          && hour <= 23
          && minute >= 0
          && minute <= 59
          && second >= 0
          && second <= 59) {
        return LocalDate.of(year, month, day).toEpochDay() * 86_400L
            + hour * 3_600L
            + minute * 60L
            + second;
      }
    }
    return Instant.parse(new String(text, from, to - from, StandardCharsets.US_ASCII))
        .getEpochSecond();
  }

  /** The number {@code count} ASCII digits at {@code from} make, or -1. */
  private static int digits(byte[] text, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      if (text[i] < '0' || text[i] > '9') {
        return -1;
      }
      value = value * 10 + (text[i] - '0');
    }
    return value;
  }

  public static TickStamp parse(String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    return parse(bytes, bytes.length);
  }

  private static final byte[] KIND_QUOTE = ascii("\"kind\":\"quote\"");
  private static final byte[] SECURITY_ID = ascii("\"securityId\":");
  private static final byte[] VOLUME = ascii("\"volume\":");
  private static final byte[] SELL_QUANTITY = ascii("\"totalSellQuantity\":");
  private static final byte[] LAST_TRADE_TIME = ascii("\"lastTradeTime\":\"");

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static int indexOf(byte[] bytes, int length, byte[] wanted) {
    outer:
    for (int i = 0; i + wanted.length <= length; i++) {
      for (int j = 0; j < wanted.length; j++) {
        if (bytes[i + j] != wanted[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static long number(byte[] json, int length, byte[] field) {
    int at = indexOf(json, length, field);
    if (at < 0) {
      return -1;
    }
    long value = 0;
    int digits = 0;
    for (int i = at + field.length; i < length && json[i] >= '0' && json[i] <= '9'; i++) {
      value = value * 10 + (json[i] - '0');
      digits++;
    }
    return digits == 0 ? -1 : value;
  }

  /** The wall clock in microseconds: the simulator and the tool read the same clock. */
  public static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }
}
