package io.tickshard.streams.ticks;

import java.io.NotSerializableException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * Ticks and their batches between nodes in a compact binary form of their own, not Jackson CBOR:
 * every batch a viewer on another node sees crosses the cluster once per node, thousands a second,
 * and reading CBOR (field names and all) was a quarter of a viewer node's CPU (docs/benchmarks.md,
 * tick latency).
 *
 * <p>Format 1, a tick ({@code tick}): the format byte, the segment and kind as short strings, the
 * security id, a bit per optional field present, then the present fields in declaration order
 * (floats and ints as 4 bytes, instants as epoch seconds and nanos). A batch ({@code ticks}): the
 * format byte, the count, then each tick as above without its format byte.
 */
public final class TickSerializer extends SerializerWithStringManifest {
  /** Unique among the cluster's serializers; Pekko's own are below 100. */
  public static final int IDENTIFIER = 4_711_001;

  private static final String TICK = "tick";
  private static final String BATCH = "ticks";
  private static final byte FORMAT = 1;

  public TickSerializer(ExtendedActorSystem system) {}

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public String manifest(Object o) {
    return o instanceof TickBatch ? BATCH : TICK;
  }

  @Override
  public byte[] toBinary(Object o) {
    if (o instanceof Tick tick) {
      ByteBuffer out = ByteBuffer.allocate(1 + size(tick));
      out.put(FORMAT);
      put(out, tick);
      return out.array();
    }
    if (o instanceof TickBatch batch) {
      int size = 1 + 4;
      for (Tick tick : batch.ticks()) {
        size += size(tick);
      }
      ByteBuffer out = ByteBuffer.allocate(size);
      out.put(FORMAT);
      out.putInt(batch.size());
      batch.ticks().forEach(tick -> put(out, tick));
      return out.array();
    }
    throw new IllegalArgumentException("not a tick: " + o.getClass().getName());
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    boolean batch = BATCH.equals(manifest);
    if (!batch && !TICK.equals(manifest)) {
      throw new NotSerializableException("unknown manifest " + manifest);
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    byte format = in.get();
    if (format != FORMAT) {
      throw new NotSerializableException("unknown tick format " + format);
    }
    if (!batch) {
      return get(in);
    }
    int count = in.getInt();
    if (count <= 0 || count > in.remaining()) {
      throw new NotSerializableException("a batch of " + count + " ticks");
    }
    Tick[] ticks = new Tick[count];
    for (int i = 0; i < count; i++) {
      ticks[i] = get(in);
    }
    return TickBatch.of(ticks);
  }

  private static int size(Tick t) {
    int size = 2 + t.segment().length() + 2 + t.kind().length() + 4 + 4;
    for (Object field : optionalFields(t)) {
      if (field != null) {
        size += field instanceof Instant ? 12 : 4;
      }
    }
    return size;
  }

  private static void put(ByteBuffer out, Tick t) {
    Object[] fields = optionalFields(t);
    int mask = 0;
    for (int i = 0; i < fields.length; i++) {
      if (fields[i] != null) {
        mask |= 1 << i;
      }
    }
    putAscii(out, t.segment());
    putAscii(out, t.kind());
    out.putInt(t.securityId());
    out.putInt(mask);
    for (Object field : fields) {
      if (field instanceof Float f) {
        out.putFloat(f);
      } else if (field instanceof Integer n) {
        out.putInt(n);
      } else if (field instanceof Instant at) {
        out.putLong(at.getEpochSecond());
        out.putInt(at.getNano());
      }
    }
  }

  /** The bits of the optional fields this version knows ({@link #optionalFields}). */
  private static final int KNOWN_FIELDS = (1 << 18) - 1;

  private static Tick get(ByteBuffer in) throws NotSerializableException {
    String segment = getAscii(in);
    String kind = getAscii(in);
    int securityId = in.getInt();
    int mask = in.getInt();
    if ((mask & ~KNOWN_FIELDS) != 0) {
      // A newer version's field, of a size this one cannot know: refused whole (Artery drops the
      // message and logs it) rather than read out of step. A new field needs a new format that
      // the version before it reads first (docs/operations.md, "Rolling upgrades").
      throw new NotSerializableException(
          "a tick with fields this version does not know (mask " + Integer.toHexString(mask) + ")");
    }
    return new Tick(
        segment,
        securityId,
        kind,
        (mask & 1) != 0 ? in.getFloat() : null,
        (mask & 1 << 1) != 0 ? in.getInt() : null,
        (mask & 1 << 2) != 0 ? instant(in) : null,
        (mask & 1 << 3) != 0 ? in.getFloat() : null,
        (mask & 1 << 4) != 0 ? in.getInt() : null,
        (mask & 1 << 5) != 0 ? in.getInt() : null,
        (mask & 1 << 6) != 0 ? in.getInt() : null,
        (mask & 1 << 7) != 0 ? in.getFloat() : null,
        (mask & 1 << 8) != 0 ? in.getFloat() : null,
        (mask & 1 << 9) != 0 ? in.getFloat() : null,
        (mask & 1 << 10) != 0 ? in.getFloat() : null,
        (mask & 1 << 11) != 0 ? in.getFloat() : null,
        (mask & 1 << 12) != 0 ? in.getInt() : null,
        (mask & 1 << 13) != 0 ? in.getFloat() : null,
        (mask & 1 << 14) != 0 ? in.getInt() : null,
        (mask & 1 << 15) != 0 ? in.getFloat() : null,
        (mask & 1 << 16) != 0 ? in.getInt() : null,
        (mask & 1 << 17) != 0 ? instant(in) : null);
  }

  /** The optional fields in declaration order: the bit of each is its index here. */
  private static Object[] optionalFields(Tick t) {
    return new Object[] {
      t.ltp(),
      t.ltq(),
      t.lastTradeTime(),
      t.averagePrice(),
      t.volume(),
      t.totalBuyQuantity(),
      t.totalSellQuantity(),
      t.open(),
      t.high(),
      t.low(),
      t.close(),
      t.previousClose(),
      t.openInterest(),
      t.bidPrice(),
      t.bidQuantity(),
      t.askPrice(),
      t.askQuantity(),
      t.receivedAt()
    };
  }

  private static Instant instant(ByteBuffer in) {
    long seconds = in.getLong();
    return Instant.ofEpochSecond(seconds, in.getInt());
  }

  private static void putAscii(ByteBuffer out, String text) {
    out.putShort((short) text.length());
    out.put(text.getBytes(StandardCharsets.US_ASCII));
  }

  private static String getAscii(ByteBuffer in) {
    byte[] text = new byte[in.getShort()];
    in.get(text);
    return new String(text, StandardCharsets.US_ASCII);
  }
}
