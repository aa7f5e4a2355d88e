package io.tickshard.feed;

import java.util.Optional;

/**
 * The broker's exchange segments: a string in request JSON, a number in every binary packet header.
 * There is no code 6.
 */
public enum ExchangeSegment {
  IDX_I(0),
  NSE_EQ(1),
  NSE_FNO(2),
  NSE_CURRENCY(3),
  BSE_EQ(4),
  MCX_COMM(5),
  BSE_CURRENCY(7),
  BSE_FNO(8);

  private static final ExchangeSegment[] BY_CODE = new ExchangeSegment[9];

  static {
    for (ExchangeSegment segment : values()) {
      BY_CODE[segment.code] = segment;
    }
  }

  private final int code;

  ExchangeSegment(int code) {
    this.code = code;
  }

  /** The numeric code used in binary packet headers. */
  public int code() {
    return code;
  }

  /** The segment for a header code, or {@code null} for a code the broker does not define. */
  public static ExchangeSegment fromCodeOrNull(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }

  public static Optional<ExchangeSegment> fromCode(int code) {
    return Optional.ofNullable(fromCodeOrNull(code));
  }

  /** The segment for its JSON name (exact, as the broker spells it). */
  public static Optional<ExchangeSegment> fromName(String name) {
    if (name == null) {
      return Optional.empty();
    }
    for (ExchangeSegment segment : values()) {
      if (segment.name().equals(name)) {
        return Optional.of(segment);
      }
    }
    return Optional.empty();
  }
}
