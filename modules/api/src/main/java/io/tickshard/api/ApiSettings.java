package io.tickshard.api;

import com.typesafe.config.Config;
import io.tickshard.feed.FeedMode;
import io.tickshard.streams.upstream.FeedSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The HTTP API's settings, from {@code tickshard.api}.
 *
 * @param apiToken when present, mutating calls need {@code Authorization: Bearer <token>}
 * @param allowedOrigins the other origins (normalised {@code scheme://host:port}) whose pages may
 *     read across origins, change streams with the token ({@link CrossOrigin}), and, with no token,
 *     pass the check against other sites' forms ({@link BrowserOrigin})
 * @param streamingDisabledReason when present, starts answer 503 with this reason
 * @param sseLeavingRetry the longest {@code retry:} hint of a viewer's {@code leaving} event
 * @param maxSseViewers open tick viewers this node serves at once; one more is a 503
 * @param instrumentsFile the broker's instrument list to read at start
 * @param instrumentSample with no file, the shipped sample
 */
public record ApiSettings(
    Duration askTimeout,
    long maxBodyBytes,
    Optional<String> apiToken,
    Set<String> allowedOrigins,
    Optional<String> streamingDisabledReason,
    FeedMode defaultMode,
    Duration sseKeepAlive,
    int sseBufferSize,
    Duration sseLeavingRetry,
    int maxSseViewers,
    Optional<Path> instrumentsFile,
    boolean instrumentSample) {

  public static ApiSettings fromConfig(Config root) {
    Config api = root.getConfig("tickshard.api");
    String token = api.getString("token");
    return new ApiSettings(
        api.getDuration("ask-timeout"),
        api.getBytes("max-body-size"),
        token.isBlank() ? Optional.empty() : Optional.of(token),
        allowedOrigins(api.getString("allowed-origins")),
        api.getBoolean("streaming-enabled")
            ? Optional.empty()
            : Optional.of(
                "streaming is switched off on this deployment (DHANHQ_WS_ENABLED=false);"
                    + " starts are refused until it is switched on"),
        FeedSettings.defaultModeFrom(root),
        api.getDuration("sse-keep-alive"),
        api.getInt("sse-buffer-size"),
        api.getDuration("sse-leaving-retry"),
        api.getInt("max-sse-viewers"),
        Optional.of(root.getString("tickshard.instruments.file"))
            .filter(file -> !file.isBlank())
            .map(Path::of),
        root.getBoolean("tickshard.instruments.sample"));
  }

  /** A comma list of origins, each normalised; one that is not an origin stops the node. */
  private static Set<String> allowedOrigins(String list) {
    return Arrays.stream(list.split(","))
        .map(String::trim)
        .filter(origin -> !origin.isEmpty())
        .map(
            origin ->
                BrowserOrigin.normalised(origin)
                    .orElseThrow(
                        () ->
                            new IllegalArgumentException(
                                "tickshard.api.allowed-origins (TICKSHARD_API_ALLOWED_ORIGINS): '"
                                    + origin
                                    + "' is not an origin; write scheme://host[:port], for"
                                    + " example https://screener.example.com")))
        .collect(Collectors.toUnmodifiableSet());
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
        + ", allowedOrigins="
        + allowedOrigins
        + ", streaming="
        + (streamingDisabledReason.isPresent() ? "disabled" : "enabled")
        + ", maxSseViewers="
        + maxSseViewers
        + "]";
  }
}
