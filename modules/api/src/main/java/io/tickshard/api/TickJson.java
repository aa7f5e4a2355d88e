package io.tickshard.api;

import io.tickshard.streams.ticks.Tick;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import org.apache.pekko.util.ByteString;

/**
 * A tick's {@code tick} event, its JSON written straight to bytes: the bytes {@link ApiJson} would
 * write for the {@link Tick}, without Jackson and {@code Instant} formatting, which were the top of
 * the tick path in flight recordings (docs/benchmarks.md). {@code TickJsonTest} holds the two equal
 * over random ticks; a field added to {@link Tick} fails it until it is written here too.
 *
 * <p>What Jackson does with {@link ApiJson}'s settings, and so this: the record's fields in their
 * declared order, a {@code null} one left out ({@code NON_NULL}); a float as {@link
 * Float#toString}, NaN and the infinities as quoted strings; an instant as {@link
 * DateTimeFormatter#ISO_INSTANT} (no fraction for a whole second, else 3, 6 or 9 digits); a string
 * with {@code "}, {@code \} and control characters escaped and the rest as UTF-8.
 */
final class TickJson {
  private static final byte[] START = ascii("event: tick\ndata: {");
  private static final byte[] END = ascii("}\n\n");
  // No comma before these two: a segment may be left out, but the securityId never is, so a
  // segment is followed by its comma instead.
  private static final byte[] SEGMENT = ascii("\"segment\":");
  private static final byte[] SECURITY_ID = ascii("\"securityId\":");
  private static final byte[] KIND = name("kind");
  private static final byte[] LTP = name("ltp");
  private static final byte[] LTQ = name("ltq");
  private static final byte[] LAST_TRADE_TIME = name("lastTradeTime");
  private static final byte[] AVERAGE_PRICE = name("averagePrice");
  private static final byte[] VOLUME = name("volume");
  private static final byte[] TOTAL_BUY_QUANTITY = name("totalBuyQuantity");
  private static final byte[] TOTAL_SELL_QUANTITY = name("totalSellQuantity");
  private static final byte[] OPEN = name("open");
  private static final byte[] HIGH = name("high");
  private static final byte[] LOW = name("low");
  private static final byte[] CLOSE = name("close");
  private static final byte[] PREVIOUS_CLOSE = name("previousClose");
  private static final byte[] OPEN_INTEREST = name("openInterest");
  private static final byte[] BID_PRICE = name("bidPrice");
  private static final byte[] BID_QUANTITY = name("bidQuantity");
  private static final byte[] ASK_PRICE = name("askPrice");
  private static final byte[] ASK_QUANTITY = name("askQuantity");
  private static final byte[] RECEIVED_AT = name("receivedAt");

  private static final byte[] HEX = ascii("0123456789ABCDEF");
  private static final byte[] MIN_INT = ascii(Integer.toString(Integer.MIN_VALUE));

  /** 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the years written as four plain digits. */
  private static final long FIRST_SECOND = -62_167_219_200L;

  private static final long LAST_SECOND = 253_402_300_799L;

  /**
   * A writer per thread, its buffer reused: ticks are rendered on whichever dispatcher thread
   * drains a viewer, and the buffer is copied out whole before the writer is used again.
   */
  private static final ThreadLocal<TickJson> WRITERS = ThreadLocal.withInitial(TickJson::new);

  private byte[] bytes = new byte[512];
  private int size;

  private TickJson() {}

  /** {@code event: tick\ndata: {...}\n\n}, as {@code TickEvents} sends it. */
  static ByteString event(Tick tick) {
    return WRITERS.get().write(tick);
  }

  private ByteString write(Tick tick) {
    size = 0;
    put(START);
    if (tick.segment() != null) {
      put(SEGMENT);
      string(tick.segment());
      put((byte) ',');
    }
    put(SECURITY_ID);
    number(tick.securityId());
    field(KIND, tick.kind());
    field(LTP, tick.ltp());
    field(LTQ, tick.ltq());
    field(LAST_TRADE_TIME, tick.lastTradeTime());
    field(AVERAGE_PRICE, tick.averagePrice());
    field(VOLUME, tick.volume());
    field(TOTAL_BUY_QUANTITY, tick.totalBuyQuantity());
    field(TOTAL_SELL_QUANTITY, tick.totalSellQuantity());
    field(OPEN, tick.open());
    field(HIGH, tick.high());
    field(LOW, tick.low());
    field(CLOSE, tick.close());
    field(PREVIOUS_CLOSE, tick.previousClose());
    field(OPEN_INTEREST, tick.openInterest());
    field(BID_PRICE, tick.bidPrice());
    field(BID_QUANTITY, tick.bidQuantity());
    field(ASK_PRICE, tick.askPrice());
    field(ASK_QUANTITY, tick.askQuantity());
    field(RECEIVED_AT, tick.receivedAt());
    put(END);
    // A copy: the buffer is this thread's next tick's, and RenderedTicks keeps the event.
    return ByteString.fromArrayUnsafe(Arrays.copyOf(bytes, size));
  }

  private void field(byte[] name, String value) {
    if (value != null) {
      put(name);
      string(value);
    }
  }

  private void field(byte[] name, Integer value) {
    if (value != null) {
      put(name);
      number(value);
    }
  }

  private void field(byte[] name, Float value) {
    if (value != null) {
      put(name);
      number(value);
    }
  }

  private void field(byte[] name, Instant value) {
    if (value != null) {
      put(name);
      instant(value);
    }
  }

  /**
   * Escaped as Jackson does: {@code "}, {@code \}, the control characters JSON has a short escape
   * for, and the other control characters as a {@code u} escape with upper-case hex digits.
   */
  private void string(String value) {
    put((byte) '"');
    int length = value.length();
    for (int at = 0; at < length; ) {
      char c = value.charAt(at);
      if (c >= 0x80) {
        // A run of non-ASCII as the JDK encodes it, a lone surrogate as '?', as the whole event
        // encoded by ByteString.fromString was: a pair never straddles a run's end.
        int end = at + 1;
        while (end < length && value.charAt(end) >= 0x80) {
          end++;
        }
        put(value.substring(at, end).getBytes(StandardCharsets.UTF_8));
        at = end;
        continue;
      }
      switch (c) {
        case '"' -> escape('"');
        case '\\' -> escape('\\');
        case '\b' -> escape('b');
        case '\t' -> escape('t');
        case '\n' -> escape('n');
        case '\f' -> escape('f');
        case '\r' -> escape('r');
        default -> {
          if (c < 0x20) {
            escape('u');
            put((byte) '0');
            put((byte) '0');
            put(HEX[c >> 4]);
            put(HEX[c & 0xF]);
          } else {
            put((byte) c);
          }
        }
      }
      at++;
    }
    put((byte) '"');
  }

  private void escape(char c) {
    put((byte) '\\');
    put((byte) c);
  }

  private void number(int value) {
    if (value == Integer.MIN_VALUE) {
      put(MIN_INT); // no positive counterpart to write the digits of
      return;
    }
    if (value < 0) {
      put((byte) '-');
      value = -value;
    }
    int digits = 1;
    for (int rest = value / 10; rest > 0; rest /= 10) {
      digits++;
    }
    digits(value, digits);
  }

  /** Jackson writes {@link Float#toString} (its own fast writer is off by default). */
  private void number(float value) {
    String text = Float.toString(value);
    boolean quoted = !Float.isFinite(value); // QUOTE_NON_NUMERIC_NUMBERS, on by default
    if (quoted) {
      put((byte) '"');
    }
    for (int at = 0; at < text.length(); at++) {
      put((byte) text.charAt(at));
    }
    if (quoted) {
      put((byte) '"');
    }
  }

  /**
   * {@link DateTimeFormatter#ISO_INSTANT}, which Jackson's {@code InstantSerializer} uses: the date
   * worked out from the epoch day (H. Hinnant's {@code civil_from_days}) for the years 0000-9999;
   * outside them (a sign, more digits) the formatter itself, as no tick's time is there.
   */
  private void instant(Instant value) {
    long seconds = value.getEpochSecond();
    put((byte) '"');
    if (seconds < FIRST_SECOND || seconds > LAST_SECOND) {
      put(ascii(DateTimeFormatter.ISO_INSTANT.format(value)));
      put((byte) '"');
      return;
    }
    long days = Math.floorDiv(seconds, 86_400L);
    int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
    long shifted = days + 719_468; // days since 0000-03-01: a year from March puts Feb 29 last
    long era = Math.floorDiv(shifted, 146_097L);
    int dayOfEra = (int) (shifted - era * 146_097);
    int yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    int monthFromMarch = (5 * dayOfYear + 2) / 153;
    int day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1;
    int month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
    int year = (int) (era * 400 + yearOfEra) + (month <= 2 ? 1 : 0);
    digits(year, 4);
    put((byte) '-');
    digits(month, 2);
    put((byte) '-');
    digits(day, 2);
    put((byte) 'T');
    digits(secondOfDay / 3_600, 2);
    put((byte) ':');
    digits(secondOfDay / 60 % 60, 2);
    put((byte) ':');
    digits(secondOfDay % 60, 2);
    int nanos = value.getNano();
    if (nanos > 0) {
      put((byte) '.');
      if (nanos % 1_000_000 == 0) {
        digits(nanos / 1_000_000, 3);
      } else if (nanos % 1_000 == 0) {
        digits(nanos / 1_000, 6);
      } else {
        digits(nanos, 9);
      }
    }
    put((byte) 'Z');
    put((byte) '"');
  }

  /** {@code value}'s last {@code count} digits, zero-padded; {@code value} is not negative. */
  private void digits(int value, int count) {
    ensure(count);
    for (int at = size + count - 1; at >= size; at--) {
      bytes[at] = (byte) ('0' + value % 10);
      value /= 10;
    }
    size += count;
  }

  private void put(byte b) {
    ensure(1);
    bytes[size++] = b;
  }

  private void put(byte[] more) {
    ensure(more.length);
    System.arraycopy(more, 0, bytes, size, more.length);
    size += more.length;
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }
  }

  /** A field after the first: the comma before it is its own. */
  private static byte[] name(String name) {
    return ascii(",\"" + name + "\":");
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
