package io.tickshard.api;

import io.tickshard.feed.DepthLevel;
import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.FeedMode;
import io.tickshard.feed.FullPacket;
import io.tickshard.feed.MarketPacket;
import io.tickshard.feed.OiPacket;
import io.tickshard.feed.PrevClosePacket;
import io.tickshard.feed.QuotePacket;
import io.tickshard.feed.TickerPacket;
import io.tickshard.streams.ticks.Tick;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Ticks to hold {@link TickJson} to Jackson with: any value in any field, the extremes often, and
 * ticks as the feed makes them. Seeded, so a failure comes back on the next run.
 */
final class RandomTicks {
  private static final List<String> KINDS = List.of("ticker", "quote", "oi", "prev_close", "full");
  private static final List<String> SEGMENTS =
      Arrays.stream(ExchangeSegment.values()).map(Enum::name).toList();

  /** Strings a JSON writer must escape or encode, and some it must leave alone. */
  private static final List<String> AWKWARD =
      List.of(
          "",
          "\"quoted\"",
          "back\\slash",
          "a/b</script>",
          "\b\t\n\f\r",
          "\u0000\u0001\u001f\u007f",
          "caf\u00e9 \u20b9 \u2028\u2029",
          "\ud83d\udcc8 pair",
          "lone \ud800 high",
          "lone \udc00 low",
          "ends high \ud800",
          "\ud800\"");

  private static final float[] FLOATS = {
    0f,
    -0f,
    Float.NaN,
    Float.POSITIVE_INFINITY,
    Float.NEGATIVE_INFINITY,
    Float.MIN_VALUE,
    -Float.MIN_VALUE,
    Float.MIN_NORMAL,
    Float.MAX_VALUE,
    -Float.MAX_VALUE,
    1.0E-5f,
    1.0E-3f,
    9.999999E-4f,
    1.0E7f,
    9999999f,
    1.0E10f,
    0.05f,
    1402.55f,
    -3.1f
  };

  private static final int[] INTS = {
    0, 1, -1, 9, 10, 99, 100, 999_999_999, 1_000_000_000, Integer.MAX_VALUE, Integer.MIN_VALUE
  };

  /** 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z, where ISO-8601 years change their form. */
  private static final long YEAR_0 = -62_167_219_200L;

  private static final long YEAR_9999_END = 253_402_300_799L;

  private final Random random;

  RandomTicks(long seed) {
    this.random = new Random(seed);
  }

  /**
   * Any value of its type in each of the record's fields, a boxed one null a quarter of the time.
   * Built over the record's components, so a field added to {@link Tick} is filled here too.
   */
  Tick anyTick() {
    RecordComponent[] components = Tick.class.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    Object[] values = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      values[i] = value(components[i]);
    }
    try {
      return Tick.class.getDeclaredConstructor(types).newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private Object value(RecordComponent component) {
    Class<?> type = component.getType();
    if (type == int.class) {
      return anyInt();
    }
    if (random.nextInt(4) == 0) {
      return null;
    }
    if (type == String.class) {
      return component.getName().equals("kind") ? name(KINDS) : name(SEGMENTS);
    }
    if (type == Integer.class) {
      return anyInt();
    }
    if (type == Float.class) {
      return anyFloat();
    }
    if (type == Instant.class) {
      return anyInstant();
    }
    throw new IllegalStateException(
        "Tick." + component.getName() + " is a " + type + ": teach TickJson and this class");
  }

  /** Ticks as the feed makes them, of every packet kind, and as keys in lower modes cut them. */
  List<Tick> fromPackets() {
    Instant receivedAt = anyInstant();
    MarketPacket packet =
        switch (random.nextInt(5)) {
          case 0 -> new TickerPacket(segment(), anyInt(), anyFloat(), anyInt());
          case 1 ->
              new QuotePacket(
                  segment(),
                  anyInt(),
                  anyFloat(),
                  anyInt(),
                  anyInt(),
                  anyFloat(),
                  anyInt(),
                  anyInt(),
                  anyInt(),
                  anyFloat(),
                  anyFloat(),
                  anyFloat(),
                  anyFloat());
          case 2 -> new OiPacket(segment(), anyInt(), anyInt());
          case 3 -> new PrevClosePacket(segment(), anyInt(), anyFloat(), anyInt());
          default -> full();
        };
    Tick tick = Tick.from(packet, receivedAt);
    List<Tick> ticks = new ArrayList<>(List.of(tick));
    for (FeedMode mode : FeedMode.values()) {
      ticks.addAll(tick.in(mode));
    }
    return ticks;
  }

  private FullPacket full() {
    List<DepthLevel> depth = new ArrayList<>();
    for (int level = 0; level < 5; level++) {
      depth.add(new DepthLevel(anyInt(), anyInt(), anyInt(), anyInt(), anyFloat(), anyFloat()));
    }
    return new FullPacket(
        segment(),
        anyInt(),
        anyFloat(),
        anyInt(),
        anyInt(),
        anyFloat(),
        anyInt(),
        anyInt(),
        anyInt(),
        anyInt(),
        anyInt(),
        anyInt(),
        anyFloat(),
        anyFloat(),
        anyFloat(),
        anyFloat(),
        depth);
  }

  private ExchangeSegment segment() {
    ExchangeSegment[] all = ExchangeSegment.values();
    return all[random.nextInt(all.length)];
  }

  private String name(List<String> names) {
    return random.nextInt(5) == 0
        ? AWKWARD.get(random.nextInt(AWKWARD.size()))
        : names.get(random.nextInt(names.size()));
  }

  private int anyInt() {
    return switch (random.nextInt(4)) {
      case 0 -> INTS[random.nextInt(INTS.length)];
      case 1 -> random.nextInt();
      default -> random.nextInt(20_000_000);
    };
  }

  private float anyFloat() {
    return switch (random.nextInt(4)) {
      case 0 -> FLOATS[random.nextInt(FLOATS.length)];
      case 1 -> Float.intBitsToFloat(random.nextInt()); // any bits: tiny, huge, NaN payloads
      default -> random.nextInt(2_000_000) * 0.05f; // a price in ticks of 0.05
    };
  }

  /** Seconds anywhere Instant allows, in the plain years, near the edges and near today. */
  Instant anyInstant() {
    long seconds =
        switch (random.nextInt(6)) {
          case 0 -> between(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond());
          case 1 -> between(YEAR_0, YEAR_9999_END);
          case 2 -> YEAR_0 + random.nextInt(3) - 1;
          case 3 -> YEAR_9999_END + random.nextInt(3) - 1;
          case 4 -> between(-86_400L * 365 * 3, 0); // the years just before 1970
          default -> 1_780_000_000L + random.nextInt(100_000_000);
        };
    int nanos =
        switch (random.nextInt(5)) {
          case 0 -> 0;
          case 1 -> random.nextInt(1_000) * 1_000_000; // 3 digits, or fewer trailing zeros
          case 2 -> random.nextInt(1_000_000) * 1_000; // 6 digits
          case 3 -> random.nextInt(1_000_000_000); // 9 digits
          default -> new int[] {1, 999_999_999, 100_000_000, 1_000, 10}[random.nextInt(5)];
        };
    return Instant.ofEpochSecond(seconds, nanos);
  }

  private long between(long from, long to) {
    return from + (long) (random.nextDouble() * (to - from));
  }
}
