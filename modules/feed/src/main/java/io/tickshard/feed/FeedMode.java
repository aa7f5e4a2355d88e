package io.tickshard.feed;

import java.util.Locale;
import java.util.Optional;

/** What a subscription delivers per instrument, and the request codes that (un)subscribe it. */
public enum FeedMode {
  /** LTP and trade time: 16-byte ticker packets. */
  TICKER(RequestCode.SUBSCRIBE_TICKER, RequestCode.UNSUBSCRIBE_TICKER),
  /** Trade, volume and OHLC: 50-byte quote packets, plus OI packets for derivatives. */
  QUOTE(RequestCode.SUBSCRIBE_QUOTE, RequestCode.UNSUBSCRIBE_QUOTE),
  /** Quote, OI and five levels of depth: 162-byte full packets. */
  FULL(RequestCode.SUBSCRIBE_FULL, RequestCode.UNSUBSCRIBE_FULL);

  private final RequestCode subscribe;
  private final RequestCode unsubscribe;

  FeedMode(RequestCode subscribe, RequestCode unsubscribe) {
    this.subscribe = subscribe;
    this.unsubscribe = unsubscribe;
  }

  public RequestCode subscribeCode() {
    return subscribe;
  }

  public RequestCode unsubscribeCode() {
    return unsubscribe;
  }

  /** The lower-case name used in configuration and the HTTP API ({@code ticker|quote|full}). */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code ticker}, {@code quote} or {@code full}, in any case. */
  public static Optional<FeedMode> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    for (FeedMode mode : values()) {
      if (mode.name().equalsIgnoreCase(text.trim())) {
        return Optional.of(mode);
      }
    }
    return Optional.empty();
  }
}
