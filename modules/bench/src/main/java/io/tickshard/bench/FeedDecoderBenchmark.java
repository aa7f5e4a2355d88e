package io.tickshard.bench;

import io.tickshard.feed.DepthLevel;
import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.FeedDecoder;
import io.tickshard.feed.FeedEncoder;
import io.tickshard.feed.FeedPacket;
import io.tickshard.feed.FrameListener;
import io.tickshard.feed.FullPacket;
import io.tickshard.feed.OiPacket;
import io.tickshard.feed.PrevClosePacket;
import io.tickshard.feed.QuotePacket;
import io.tickshard.feed.TickerPacket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decoder throughput, in packets per second on one thread.
 *
 * <p>Each benchmark decodes {@value #FRAMES} pre-encoded frames per invocation, one packet per
 * frame as the broker sends them, so with {@code @OperationsPerInvocation(FRAMES)} one JMH
 * operation is one packet: the score is packets/s and {@code gc.alloc.rate.norm} is bytes per
 * packet. Each frame sits in its own little-endian {@link ByteBuffer}, built once and reused, so
 * what is timed is decoding, not buffer allocation. Every decoded packet goes into a {@link
 * Blackhole} through the {@link FrameListener}, so nothing can be optimised away and the packet
 * objects are really allocated.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FeedDecoderBenchmark {

  /** Frames decoded per invocation; a power of two, small enough to stay in cache. */
  static final int FRAMES = 1024;

  private ByteBuffer[] quoteFrames;
  private ByteBuffer[] quoteFramesBigEndian;
  private ByteBuffer[] fullFrames;
  private ByteBuffer[] mixedFrames;

  private FeedDecoder decoder;
  private FrameListener sink;

  @Setup(Level.Trial)
  public void setUp(Blackhole blackhole) {
    Market market = new Market(new Random(20250611L));
    quoteFrames = frames(FRAMES, i -> market.quote());
    fullFrames = frames(FRAMES, i -> market.full());
    mixedFrames = frames(FRAMES, i -> market.mixed());
    // What java.net.http.WebSocket hands a listener: a buffer in the default big-endian order.
    quoteFramesBigEndian = new ByteBuffer[FRAMES];
    for (int i = 0; i < FRAMES; i++) {
      quoteFramesBigEndian[i] = quoteFrames[i].duplicate().order(ByteOrder.BIG_ENDIAN);
    }
    for (ByteBuffer[] frames :
        List.of(quoteFrames, quoteFramesBigEndian, fullFrames, mixedFrames)) {
      checkOnePacketPerFrame(frames);
    }
    decoder = new FeedDecoder();
    sink = blackhole::consume;
  }

  /** Guards the premise that one operation is one packet: every frame decodes to one packet. */
  private static void checkOnePacketPerFrame(ByteBuffer[] frames) {
    FeedDecoder check = new FeedDecoder();
    for (ByteBuffer frame : frames) {
      FeedDecoder.DecodedFrame decoded = check.decodeAll(frame);
      if (decoded.packets().size() != 1
          || !decoded.skipped().isEmpty()
          || !decoded.malformed().isEmpty()) {
        throw new IllegalStateException("benchmark frame does not hold exactly one packet");
      }
    }
  }

  /** Quote packets (50 bytes), the bulk of a quote-mode subscription. */
  @Benchmark
  @OperationsPerInvocation(FRAMES)
  public void quote() {
    decodeAll(quoteFrames);
  }

  /**
   * The same quote frames, each in a big-endian buffer as the JDK WebSocket client delivers them:
   * shows what handing the decoder a buffer in the wrong byte order costs.
   */
  @Benchmark
  @OperationsPerInvocation(FRAMES)
  public void quoteBigEndianBuffer() {
    decodeAll(quoteFramesBigEndian);
  }

  /** Full packets (162 bytes, five depth levels). */
  @Benchmark
  @OperationsPerInvocation(FRAMES)
  public void full() {
    decodeAll(fullFrames);
  }

  /**
   * A realistic mix, shuffled: 70% quote, 15% OI, 10% ticker, 3% full, 2% previous close; one
   * packet per frame.
   */
  @Benchmark
  @OperationsPerInvocation(FRAMES)
  public void mixed() {
    decodeAll(mixedFrames);
  }

  private void decodeAll(ByteBuffer[] frames) {
    FeedDecoder decoder = this.decoder;
    FrameListener sink = this.sink;
    for (ByteBuffer frame : frames) {
      decoder.decode(frame, sink);
    }
  }

  private static ByteBuffer[] frames(int count, Function<Integer, FeedPacket> packetFor) {
    List<ByteBuffer> frames = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      frames.add(
          ByteBuffer.wrap(FeedEncoder.encode(packetFor.apply(i))).order(ByteOrder.LITTLE_ENDIAN));
    }
    return frames.toArray(ByteBuffer[]::new);
  }

  /** Plausible packets for a few hundred F&amp;O and equity instruments. */
  static final class Market {
    private static final int INSTRUMENTS = 200;
    private static final int LTT = 1_718_119_799;

    private final Random random;
    private final int[] ids = new int[INSTRUMENTS];
    private final float[] prices = new float[INSTRUMENTS];
    private final List<String> mix = new ArrayList<>();

    Market(Random random) {
      this.random = random;
      for (int i = 0; i < INSTRUMENTS; i++) {
        ids[i] = 35_000 + random.nextInt(60_000);
        prices[i] = 50f + random.nextInt(5_000);
      }
      for (int i = 0; i < 70; i++) {
        mix.add("quote");
      }
      for (int i = 0; i < 15; i++) {
        mix.add("oi");
      }
      for (int i = 0; i < 10; i++) {
        mix.add("ticker");
      }
      for (int i = 0; i < 3; i++) {
        mix.add("full");
      }
      for (int i = 0; i < 2; i++) {
        mix.add("prevClose");
      }
      Collections.shuffle(mix, random);
    }

    FeedPacket mixed() {
      return switch (mix.get(random.nextInt(mix.size()))) {
        case "quote" -> quote();
        case "oi" -> oi();
        case "ticker" -> ticker();
        case "full" -> full();
        default -> prevClose();
      };
    }

    private int pick() {
      return random.nextInt(INSTRUMENTS);
    }

    private ExchangeSegment segment(int i) {
      return i % 4 == 0 ? ExchangeSegment.NSE_EQ : ExchangeSegment.NSE_FNO;
    }

    /** A price a few ticks (0.05) from the instrument's last one. */
    private float tick(int i) {
      prices[i] = Math.max(0.05f, prices[i] + (random.nextInt(11) - 5) * 0.05f);
      return prices[i];
    }

    QuotePacket quote() {
      int i = pick();
      float ltp = tick(i);
      return new QuotePacket(
          segment(i),
          ids[i],
          ltp,
          1 + random.nextInt(2_000),
          LTT + random.nextInt(20_000),
          ltp - 0.35f,
          random.nextInt(50_000_000),
          random.nextInt(2_000_000),
          random.nextInt(2_000_000),
          ltp - 1.5f,
          0f,
          ltp + 2.25f,
          ltp - 3.1f);
    }

    OiPacket oi() {
      int i = pick();
      return new OiPacket(ExchangeSegment.NSE_FNO, ids[i], random.nextInt(20_000_000));
    }

    TickerPacket ticker() {
      int i = pick();
      return new TickerPacket(segment(i), ids[i], tick(i), LTT + random.nextInt(20_000));
    }

    PrevClosePacket prevClose() {
      int i = pick();
      return new PrevClosePacket(segment(i), ids[i], prices[i] - 2f, random.nextInt(20_000_000));
    }

    FullPacket full() {
      int i = pick();
      float ltp = tick(i);
      List<DepthLevel> depth = new ArrayList<>(5);
      for (int level = 0; level < 5; level++) {
        depth.add(
            new DepthLevel(
                random.nextInt(100_000),
                random.nextInt(100_000),
                1 + random.nextInt(500),
                1 + random.nextInt(500),
                ltp - 0.05f * (level + 1),
                ltp + 0.05f * (level + 1)));
      }
      int oi = random.nextInt(20_000_000);
      return new FullPacket(
          ExchangeSegment.NSE_FNO,
          ids[i],
          ltp,
          1 + random.nextInt(2_000),
          LTT + random.nextInt(20_000),
          ltp - 0.35f,
          random.nextInt(50_000_000),
          random.nextInt(2_000_000),
          random.nextInt(2_000_000),
          oi,
          oi + 10_000,
          Math.max(0, oi - 10_000),
          ltp - 1.5f,
          0f,
          ltp + 2.25f,
          ltp - 3.1f,
          depth);
    }
  }
}
