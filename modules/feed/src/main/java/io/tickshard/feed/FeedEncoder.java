package io.tickshard.feed;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/** Writes packets exactly as the broker does; the simulator and tests use it. */
public final class FeedEncoder {
  private FeedEncoder() {}

  /** One packet as one frame. */
  public static byte[] encode(FeedPacket packet) {
    ByteBuffer out = allocate(ResponseCode.lengthOf(packet.responseCode()));
    write(packet, out);
    return out.array();
  }

  /** Several packets in one frame, as the broker may send them. */
  public static byte[] encodeFrame(List<? extends FeedPacket> packets) {
    int total = 0;
    for (FeedPacket packet : packets) {
      total += ResponseCode.lengthOf(packet.responseCode());
    }
    ByteBuffer out = allocate(total);
    for (FeedPacket packet : packets) {
      write(packet, out);
    }
    return out.array();
  }

  /**
   * A packet with any code and body, for the kinds without a documented layout (index, market
   * status) and for fault injection.
   */
  public static byte[] rawPacket(int responseCode, int segmentCode, int securityId, byte[] body) {
    ByteBuffer out = allocate(ResponseCode.HEADER_LENGTH + body.length);
    header(out, responseCode, out.capacity(), segmentCode, securityId);
    out.put(body);
    return out.array();
  }

  /** Appends {@code packet} at the buffer's position, which must be little-endian. */
  public static void write(FeedPacket packet, ByteBuffer out) {
    int length = ResponseCode.lengthOf(packet.responseCode());
    if (packet instanceof TickerPacket p) {
      header(out, p.responseCode(), length, p.segment().code(), p.securityId());
      out.putFloat(p.lastPrice()).putInt(p.lastTradeTime());
    } else if (packet instanceof QuotePacket p) {
      header(out, p.responseCode(), length, p.segment().code(), p.securityId());
      out.putFloat(p.lastPrice())
          .putShort((short) p.lastQuantity())
          .putInt(p.lastTradeTime())
          .putFloat(p.averagePrice())
          .putInt(p.volume())
          .putInt(p.totalSellQuantity())
          .putInt(p.totalBuyQuantity())
          .putFloat(p.open())
          .putFloat(p.close())
          .putFloat(p.high())
          .putFloat(p.low());
    } else if (packet instanceof OiPacket p) {
      header(out, p.responseCode(), length, p.segment().code(), p.securityId());
      out.putInt(p.openInterest());
    } else if (packet instanceof PrevClosePacket p) {
      header(out, p.responseCode(), length, p.segment().code(), p.securityId());
      out.putFloat(p.previousClose()).putInt(p.previousOpenInterest());
    } else if (packet instanceof FullPacket p) {
      header(out, p.responseCode(), length, p.segment().code(), p.securityId());
      out.putFloat(p.lastPrice())
          .putShort((short) p.lastQuantity())
          .putInt(p.lastTradeTime())
          .putFloat(p.averagePrice())
          .putInt(p.volume())
          .putInt(p.totalSellQuantity())
          .putInt(p.totalBuyQuantity())
          .putInt(p.openInterest())
          .putInt(p.openInterestDayHigh())
          .putInt(p.openInterestDayLow())
          .putFloat(p.open())
          .putFloat(p.close())
          .putFloat(p.high())
          .putFloat(p.low());
      for (DepthLevel level : p.depth()) {
        out.putInt(level.bidQuantity())
            .putInt(level.askQuantity())
            .putShort((short) level.bidOrders())
            .putShort((short) level.askOrders())
            .putFloat(level.bidPrice())
            .putFloat(level.askPrice());
      }
    } else if (packet instanceof DisconnectPacket p) {
      header(out, p.responseCode(), length, 0, 0);
      out.putShort((short) p.reasonCode());
    }
  }

  private static ByteBuffer allocate(int length) {
    return ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static void header(
      ByteBuffer out, int responseCode, int length, int segmentCode, int securityId) {
    out.put((byte) responseCode)
        .putShort((short) length)
        .put((byte) segmentCode)
        .putInt(securityId);
  }
}
