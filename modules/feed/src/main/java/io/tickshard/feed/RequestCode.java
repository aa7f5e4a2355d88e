package io.tickshard.feed;

import java.util.Optional;

/** The {@code RequestCode} values a client sends in its JSON requests. */
public enum RequestCode {
  DISCONNECT(12, null, false),
  SUBSCRIBE_TICKER(15, "ticker", true),
  UNSUBSCRIBE_TICKER(16, "ticker", false),
  SUBSCRIBE_QUOTE(17, "quote", true),
  UNSUBSCRIBE_QUOTE(18, "quote", false),
  SUBSCRIBE_FULL(21, "full", true),
  UNSUBSCRIBE_FULL(22, "full", false);

  private final int code;
  private final String modeName;
  private final boolean subscribe;

  RequestCode(int code, String modeName, boolean subscribe) {
    this.code = code;
    this.modeName = modeName;
    this.subscribe = subscribe;
  }

  public int code() {
    return code;
  }

  /** True for the three subscribe codes. */
  public boolean isSubscribe() {
    return subscribe;
  }

  /** True for the three unsubscribe codes. */
  public boolean isUnsubscribe() {
    return modeName != null && !subscribe;
  }

  /** The mode a (un)subscribe code is about; empty for {@link #DISCONNECT}. */
  public Optional<FeedMode> mode() {
    return modeName == null ? Optional.empty() : FeedMode.parse(modeName);
  }

  public static Optional<RequestCode> fromCode(int code) {
    for (RequestCode requestCode : values()) {
      if (requestCode.code == code) {
        return Optional.of(requestCode);
      }
    }
    return Optional.empty();
  }
}
