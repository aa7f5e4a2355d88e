package io.tickshard.feed;

/**
 * One tradable instrument as the broker identifies it: an exchange segment and a security id.
 *
 * <p>Written as {@code SEGMENT:ID} (for example {@code NSE_FNO:55796}) by {@link #toString()}.
 */
public record Instrument(ExchangeSegment segment, int securityId)
    implements Comparable<Instrument> {

  public Instrument {
    if (segment == null) {
      throw new IllegalArgumentException("segment is required");
    }
    if (securityId <= 0) {
      throw new IllegalArgumentException("security id must be positive, was " + securityId);
    }
  }

  public static Instrument of(ExchangeSegment segment, int securityId) {
    return new Instrument(segment, securityId);
  }

  /**
   * Parses {@code SEGMENT:ID}, or a bare id, which means NSE_EQ.
   *
   * @throws IllegalArgumentException with a reason a person can act on
   */
  public static Instrument parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("instrument is empty");
    }
    String trimmed = text.trim();
    int colon = trimmed.indexOf(':');
    ExchangeSegment segment = ExchangeSegment.NSE_EQ;
    String id = trimmed;
    if (colon >= 0) {
      String name = trimmed.substring(0, colon);
      segment =
          ExchangeSegment.fromName(name)
              .orElseThrow(
                  () -> new IllegalArgumentException("unknown exchange segment '" + name + "'"));
      id = trimmed.substring(colon + 1);
    }
    return new Instrument(segment, parseSecurityId(id));
  }

  /** Parses a security id: decimal digits, positive, within 32 bits. */
  public static int parseSecurityId(String id) {
    if (id.isEmpty() || id.length() > 10 || !id.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("security id '" + id + "' is not a positive number");
    }
    long value = Long.parseLong(id);
    if (value <= 0 || value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("security id '" + id + "' is out of range");
    }
    return (int) value;
  }

  @Override
  public int compareTo(Instrument other) {
    int bySegment = Integer.compare(segment.code(), other.segment.code());
    return bySegment != 0 ? bySegment : Integer.compare(securityId, other.securityId);
  }

  @Override
  public String toString() {
    return segment.name() + ":" + securityId;
  }
}
