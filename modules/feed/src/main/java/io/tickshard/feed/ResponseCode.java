package io.tickshard.feed;

/**
 * Response codes in byte 0 of every binary packet, with the packet sizes the fact sheet gives
 * (header included). All multi-byte fields are little-endian and packed.
 */
public final class ResponseCode {
  public static final int INDEX = 1;
  public static final int TICKER = 2;
  public static final int QUOTE = 4;
  public static final int OI = 5;
  public static final int PREV_CLOSE = 6;
  public static final int MARKET_STATUS = 7;
  public static final int FULL = 8;
  public static final int DISCONNECT = 50;

  public static final int HEADER_LENGTH = 8;
  public static final int TICKER_LENGTH = 16;
  public static final int QUOTE_LENGTH = 50;
  public static final int OI_LENGTH = 12;
  public static final int PREV_CLOSE_LENGTH = 16;
  public static final int FULL_LENGTH = 162;
  public static final int DISCONNECT_LENGTH = 10;
  public static final int DEPTH_LEVELS = 5;
  public static final int DEPTH_LEVEL_LENGTH = 20;

  private ResponseCode() {}

  /** The exact length of a packet with this code, or -1 when its layout is not documented. */
  public static int lengthOf(int code) {
    return switch (code) {
      case TICKER -> TICKER_LENGTH;
      case QUOTE -> QUOTE_LENGTH;
      case OI -> OI_LENGTH;
      case PREV_CLOSE -> PREV_CLOSE_LENGTH;
      case FULL -> FULL_LENGTH;
      case DISCONNECT -> DISCONNECT_LENGTH;
      default -> -1;
    };
  }
}
