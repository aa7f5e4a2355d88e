package io.tickshard.api;

import com.typesafe.config.Config;
import io.tickshard.feed.FeedMode;
import io.tickshard.streams.upstream.FeedSettings;
import java.time.Duration;
import java.util.Optional;

/**
 * The HTTP API's settings, from {@code tickshard.api}.
 *
 * @param apiToken when present, mutating calls need {@code Authorization: Bearer <token>}
 * @param streamingDisabledReason when present, starts answer 503 with this reason
 */
public record ApiSettings(
    Duration askTimeout,
    long maxBodyBytes,
    Optional<String> apiToken,
    Optional<String> streamingDisabledReason,
    FeedMode defaultMode,
    Duration sseKeepAlive,
    int sseBufferSize) {

  public static ApiSettings fromConfig(Config root) {
    Config api = root.getConfig("tickshard.api");
    String token = api.getString("token");
    return new ApiSettings(
        api.getDuration("ask-timeout"),
        api.getBytes("max-body-size"),
        token.isBlank() ? Optional.empty() : Optional.of(token),
        api.getBoolean("streaming-enabled")
            ? Optional.empty()
            : Optional.of(
                "streaming is switched off on this deployment (DHANHQ_WS_ENABLED=false);"
                    + " starts are refused until it is switched on"),
        FeedSettings.defaultModeFrom(root),
        api.getDuration("sse-keep-alive"),
        api.getInt("sse-buffer-size"));
  }

  /** Never prints the token. */
  @Override
  public String toString() {
    return "ApiSettings[askTimeout="
        + askTimeout
        + ", maxBodyBytes="
        + maxBodyBytes
        + ", token="
        + (apiToken.isPresent() ? "set" : "unset")
        + ", streaming="
        + (streamingDisabledReason.isPresent() ? "disabled" : "enabled")
        + "]";
  }
}
