package io.tickshard.streams.ticks;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tickshard.feed.DepthLevel;
import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.FullPacket;
import io.tickshard.feed.Instrument;
import io.tickshard.feed.LastTradeTime;
import io.tickshard.feed.MarketPacket;
import io.tickshard.feed.OiPacket;
import io.tickshard.feed.PrevClosePacket;
import io.tickshard.feed.QuotePacket;
import io.tickshard.feed.TickerPacket;
import io.tickshard.streams.CborSerializable;
import java.time.Instant;

/**
 * One market update for one instrument, flattened for viewers: the fields a packet kind carries are
 * set, the rest are {@code null}. Published on the stream's tick topic and sent to browsers.
 *
 * @param kind {@code ticker}, {@code quote}, {@code oi}, {@code prev_close} or {@code full}
 * @param lastTradeTime the trade time, converted once by {@link LastTradeTime}
 * @param receivedAt when tickshard received the frame
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Tick(
    String segment,
    int securityId,
    String kind,
    Float ltp,
    Integer ltq,
    Instant lastTradeTime,
    Float averagePrice,
    Integer volume,
    Integer totalBuyQuantity,
    Integer totalSellQuantity,
    Float open,
    Float high,
    Float low,
    Float close,
    Float previousClose,
    Integer openInterest,
    Float bidPrice,
    Integer bidQuantity,
    Float askPrice,
    Integer askQuantity,
    Instant receivedAt)
    implements CborSerializable {

  public Instrument instrument() {
    return Instrument.of(ExchangeSegment.valueOf(segment), securityId);
  }

  public static Tick from(MarketPacket packet, Instant receivedAt) {
    String segment = packet.segment().name();
    int id = packet.securityId();
    if (packet instanceof TickerPacket p) {
      return new Tick(
          segment,
          id,
          "ticker",
          p.lastPrice(),
          null,
          LastTradeTime.toInstant(p.lastTradeTime()),
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
          receivedAt);
    }
    if (packet instanceof QuotePacket p) {
      return new Tick(
          segment,
          id,
          "quote",
          p.lastPrice(),
          p.lastQuantity(),
          LastTradeTime.toInstant(p.lastTradeTime()),
          p.averagePrice(),
          p.volume(),
          p.totalBuyQuantity(),
          p.totalSellQuantity(),
          p.open(),
          p.high(),
          p.low(),
          p.close(),
          null,
          null,
          null,
          null,
          null,
          null,
          receivedAt);
    }
    if (packet instanceof OiPacket p) {
      return new Tick(
          segment,
          id,
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
          p.openInterest(),
          null,
          null,
          null,
          null,
          receivedAt);
    }
    if (packet instanceof PrevClosePacket p) {
      return new Tick(
          segment,
          id,
          "prev_close",
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
          p.previousClose(),
          null,
          null,
          null,
          null,
          null,
          receivedAt);
    }
    FullPacket p = (FullPacket) packet;
    DepthLevel best = p.depth().get(0);
    return new Tick(
        segment,
        id,
        "full",
        p.lastPrice(),
        p.lastQuantity(),
        LastTradeTime.toInstant(p.lastTradeTime()),
        p.averagePrice(),
        p.volume(),
        p.totalBuyQuantity(),
        p.totalSellQuantity(),
        p.open(),
        p.high(),
        p.low(),
        p.close(),
        null,
        p.openInterest(),
        best.bidPrice(),
        best.bidQuantity(),
        best.askPrice(),
        best.askQuantity(),
        receivedAt);
  }

  /** This tick's fields over {@code older}'s: the latest known value of every field. */
  public Tick over(Tick older) {
    return new Tick(
        segment,
        securityId,
        kind,
        pick(ltp, older.ltp),
        pick(ltq, older.ltq),
        pick(lastTradeTime, older.lastTradeTime),
        pick(averagePrice, older.averagePrice),
        pick(volume, older.volume),
        pick(totalBuyQuantity, older.totalBuyQuantity),
        pick(totalSellQuantity, older.totalSellQuantity),
        pick(open, older.open),
        pick(high, older.high),
        pick(low, older.low),
        pick(close, older.close),
        pick(previousClose, older.previousClose),
        pick(openInterest, older.openInterest),
        pick(bidPrice, older.bidPrice),
        pick(bidQuantity, older.bidQuantity),
        pick(askPrice, older.askPrice),
        pick(askQuantity, older.askQuantity),
        receivedAt);
  }

  private static <T> T pick(T newer, T older) {
    return newer != null ? newer : older;
  }
}
