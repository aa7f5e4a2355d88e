package io.tickshard.streams.ticks;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tickshard.feed.DepthLevel;
import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.FeedMode;
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
import java.util.List;
import java.util.Optional;

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
      return new TickBuilder(segment, id, "ticker", receivedAt)
          .ltp(p.lastPrice())
          .lastTradeTime(LastTradeTime.toInstant(p.lastTradeTime()))
          .build();
    }
    if (packet instanceof QuotePacket p) {
      return new TickBuilder(segment, id, "quote", receivedAt)
          .ltp(p.lastPrice())
          .ltq(p.lastQuantity())
          .lastTradeTime(LastTradeTime.toInstant(p.lastTradeTime()))
          .averagePrice(p.averagePrice())
          .volume(p.volume())
          .totalBuyQuantity(p.totalBuyQuantity())
          .totalSellQuantity(p.totalSellQuantity())
          .open(p.open())
          .high(p.high())
          .low(p.low())
          .close(p.close())
          .build();
    }
    if (packet instanceof OiPacket p) {
      return new TickBuilder(segment, id, "oi", receivedAt).openInterest(p.openInterest()).build();
    }
    if (packet instanceof PrevClosePacket p) {
      return new TickBuilder(segment, id, "prev_close", receivedAt)
          .previousClose(p.previousClose())
          .build();
    }
    FullPacket p = (FullPacket) packet;
    DepthLevel best = p.depth().get(0);
    return new TickBuilder(segment, id, "full", receivedAt)
        .ltp(p.lastPrice())
        .ltq(p.lastQuantity())
        .lastTradeTime(LastTradeTime.toInstant(p.lastTradeTime()))
        .averagePrice(p.averagePrice())
        .volume(p.volume())
        .totalBuyQuantity(p.totalBuyQuantity())
        .totalSellQuantity(p.totalSellQuantity())
        .open(p.open())
        .high(p.high())
        .low(p.low())
        .close(p.close())
        .openInterest(p.openInterest())
        .bidPrice(best.bidPrice())
        .bidQuantity(best.bidQuantity())
        .askPrice(best.askPrice())
        .askQuantity(best.askQuantity())
        .build();
  }

  /** This tick's fields over {@code older}'s: the latest known value of every field. */
  public Tick over(Tick older) {
    // Identity, kind and arrival time are this tick's; only the optional fields fall back.
    return new TickBuilder(segment, securityId, kind, receivedAt)
        .ltp(pick(ltp, older.ltp))
        .ltq(pick(ltq, older.ltq))
        .lastTradeTime(pick(lastTradeTime, older.lastTradeTime))
        .averagePrice(pick(averagePrice, older.averagePrice))
        .volume(pick(volume, older.volume))
        .totalBuyQuantity(pick(totalBuyQuantity, older.totalBuyQuantity))
        .totalSellQuantity(pick(totalSellQuantity, older.totalSellQuantity))
        .open(pick(open, older.open))
        .high(pick(high, older.high))
        .low(pick(low, older.low))
        .close(pick(close, older.close))
        .previousClose(pick(previousClose, older.previousClose))
        .openInterest(pick(openInterest, older.openInterest))
        .bidPrice(pick(bidPrice, older.bidPrice))
        .bidQuantity(pick(bidQuantity, older.bidQuantity))
        .askPrice(pick(askPrice, older.askPrice))
        .askQuantity(pick(askQuantity, older.askQuantity))
        .build();
  }

  private static <T> T pick(T newer, T older) {
    return newer != null ? newer : older;
  }

  /**
   * This tick as a key subscribed in {@code mode} would have received it, for a key riding a shared
   * subscription in a higher mode: a full tick is a quote tick and, for a derivative, an OI tick to
   * a quote key (as the broker sends them in quote mode), and a ticker tick to a ticker key; OI
   * ticks do not exist in ticker mode. Previous-close ticks go to every mode.
   */
  public List<Tick> in(FeedMode mode) {
    return switch (kind) {
      case "oi" -> mode == FeedMode.TICKER ? List.of() : List.of(this);
      case "quote" -> mode == FeedMode.TICKER ? List.of(asTicker()) : List.of(this);
      case "full" ->
          switch (mode) {
            case FULL -> List.of(this);
            case QUOTE ->
                openInterest != null && openInterest > 0
                    ? List.of(asQuote(), asOpenInterest())
                    : List.of(asQuote());
            case TICKER -> List.of(asTicker());
          };
      default -> List.of(this);
    };
  }

  /**
   * A snapshot entry (the latest value of every field) as a key in {@code mode} would have it: its
   * mode's fields, merged into one, and the previous close, which every mode gets. Cut as a live
   * tick is, a full entry would lose the previous close a quote key's viewers are owed (its
   * instrument is subscribed in full for another key).
   */
  public Optional<Tick> latestIn(FeedMode mode) {
    Tick merged = null;
    for (Tick cut : in(mode)) {
      merged = merged == null ? cut : merged.over(cut); // the mode's own kind stays
    }
    if (merged == null || previousClose == null) {
      return Optional.ofNullable(merged);
    }
    return Optional.of(
        merged.over(
            new TickBuilder(segment, securityId, merged.kind, merged.receivedAt)
                .previousClose(previousClose)
                .build()));
  }

  private Tick asTicker() {
    return new TickBuilder(segment, securityId, "ticker", receivedAt)
        .ltp(ltp)
        .lastTradeTime(lastTradeTime)
        .build();
  }

  private Tick asQuote() {
    return new TickBuilder(segment, securityId, "quote", receivedAt)
        .ltp(ltp)
        .ltq(ltq)
        .lastTradeTime(lastTradeTime)
        .averagePrice(averagePrice)
        .volume(volume)
        .totalBuyQuantity(totalBuyQuantity)
        .totalSellQuantity(totalSellQuantity)
        .open(open)
        .high(high)
        .low(low)
        .close(close)
        .build();
  }

  private Tick asOpenInterest() {
    return new TickBuilder(segment, securityId, "oi", receivedAt)
        .openInterest(openInterest)
        .build();
  }
}
