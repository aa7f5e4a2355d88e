package io.tickshard.feed;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** jqwik generators for every packet type, over the whole range each wire field can carry. */
final class PacketArbitraries {
  private PacketArbitraries() {}

  static Arbitrary<ExchangeSegment> segments() {
    return Arbitraries.of(ExchangeSegment.class);
  }

  /** The header field is a plain int32; the decoder does not judge it. */
  static Arbitrary<Integer> securityIds() {
    return Arbitraries.oneOf(Arbitraries.integers().between(1, 2_000_000), Arbitraries.integers());
  }

  static Arbitrary<Integer> int32s() {
    return Arbitraries.integers();
  }

  /** Quantities and order counts sent in 16 bits, read unsigned. */
  static Arbitrary<Integer> unsigned16s() {
    return Arbitraries.integers().between(0, 0xFFFF);
  }

  /**
   * Prices: realistic rupee values (negative too), and any bit pattern that is not NaN (subnormals,
   * infinities, -0.0, the extremes).
   */
  static Arbitrary<Float> prices() {
    Arbitrary<Float> rupees = Arbitraries.floats().between(-50_000f, 500_000f).ofScale(2);
    Arbitrary<Float> anyBits =
        Arbitraries.integers().map(Float::intBitsToFloat).filter(f -> !Float.isNaN(f));
    Arbitrary<Float> special =
        Arbitraries.of(
            0f,
            -0f,
            Float.MIN_VALUE,
            -Float.MAX_VALUE,
            Float.MAX_VALUE,
            Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY);
    return Arbitraries.frequencyOf(Tuple.of(6, rupees), Tuple.of(3, anyBits), Tuple.of(1, special));
  }

  static Arbitrary<TickerPacket> tickers() {
    return Combinators.combine(segments(), securityIds(), prices(), int32s()).as(TickerPacket::new);
  }

  static Arbitrary<QuotePacket> quotes() {
    return Combinators.combine(
            segments(),
            securityIds(),
            prices().list().ofSize(6),
            unsigned16s(),
            int32s().list().ofSize(4))
        .as(
            (segment, id, price, ltq, n) ->
                new QuotePacket(
                    segment,
                    id,
                    price.get(0),
                    ltq,
                    n.get(0),
                    price.get(1),
                    n.get(1),
                    n.get(2),
                    n.get(3),
                    price.get(2),
                    price.get(3),
                    price.get(4),
                    price.get(5)));
  }

  static Arbitrary<OiPacket> ois() {
    return Combinators.combine(segments(), securityIds(), int32s()).as(OiPacket::new);
  }

  static Arbitrary<PrevClosePacket> prevCloses() {
    return Combinators.combine(segments(), securityIds(), prices(), int32s())
        .as(PrevClosePacket::new);
  }

  static Arbitrary<DepthLevel> depthLevels() {
    return Combinators.combine(int32s(), int32s(), unsigned16s(), unsigned16s(), prices(), prices())
        .as(DepthLevel::new);
  }

  static Arbitrary<FullPacket> fulls() {
    return Combinators.combine(
            segments(),
            securityIds(),
            prices().list().ofSize(6),
            unsigned16s(),
            int32s().list().ofSize(7),
            depthLevels().list().ofSize(5))
        .as(
            (segment, id, price, ltq, n, depth) ->
                new FullPacket(
                    segment,
                    id,
                    price.get(0),
                    ltq,
                    n.get(0),
                    price.get(1),
                    n.get(1),
                    n.get(2),
                    n.get(3),
                    n.get(4),
                    n.get(5),
                    n.get(6),
                    price.get(2),
                    price.get(3),
                    price.get(4),
                    price.get(5),
                    depth));
  }

  static Arbitrary<DisconnectPacket> disconnects() {
    return Arbitraries.oneOf(Arbitraries.of(800, 804, 805, 806, 807, 808, 809, 810), unsigned16s())
        .map(DisconnectPacket::new);
  }

  static Arbitrary<FeedPacket> anyPacket() {
    return Arbitraries.oneOf(tickers(), quotes(), ois(), prevCloses(), fulls(), disconnects());
  }

  /** What a frame may carry: one packet usually, several sometimes. */
  static Arbitrary<List<FeedPacket>> frames() {
    return anyPacket().list().ofMinSize(1).ofMaxSize(25);
  }
}
