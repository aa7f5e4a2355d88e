package io.tickshard.streams.upstream;

import com.typesafe.config.Config;
import io.tickshard.feed.FeedMode;
import io.tickshard.streams.broker.Broker;
import io.tickshard.streams.broker.BrokerCredentials;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * How streams reach the broker: the feed URL and the timings of reconnects, staleness and
 * heartbeats. Read from {@code tickshard.feed}; the credentials are the {@link Broker}'s.
 *
 * @param url the feed URL without credentials (they are added by {@link #connectUri})
 */
public record FeedSettings(
    URI url,
    FeedMode defaultMode,
    Duration connectTimeout,
    Duration backoffMin,
    Duration backoffMax,
    double backoffRandomFactor,
    Duration backoffResetAfter,
    Duration tooManyConnectionsCoolOff,
    Duration staleAfter,
    Duration heartbeatInterval,
    Duration closeTimeout) {
  private static final String MODE_SETTING = "tickshard.feed.mode";

  public static FeedSettings fromConfig(Config root) {
    Config feed = root.getConfig("tickshard.feed");
    return new FeedSettings(
        URI.create(feed.getString("url")),
        defaultModeFrom(root),
        feed.getDuration("connect-timeout"),
        feed.getDuration("backoff.min"),
        feed.getDuration("backoff.max"),
        feed.getDouble("backoff.random-factor"),
        feed.getDuration("backoff.reset-after"),
        feed.getDuration("too-many-connections-cool-off"),
        feed.getDuration("stale-after"),
        feed.getDuration("heartbeat-interval"),
        feed.getDuration("close-timeout"));
  }

  /**
   * The mode of a start that names none, from {@code tickshard.feed.mode}. The streams and the HTTP
   * API both read it here, so a bad value fails the same way wherever it is read first.
   *
   * @throws IllegalArgumentException naming the setting and the value, when it is not a mode
   */
  public static FeedMode defaultModeFrom(Config root) {
    String value = root.getString(MODE_SETTING);
    return FeedMode.parse(value)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    MODE_SETTING + " must be ticker, quote or full, was '" + value + "'"));
  }

  /** The URL with the broker's four query parameters. Never log it: it holds the token. */
  URI connectUri(BrokerCredentials credentials) {
    String accessToken = credentials.accessToken();
    String clientId = credentials.clientId();
    String base = url.toString();
    String separator = base.contains("?") ? "&" : "?";
    return URI.create(
        base
            + separator
            + "version=2&token="
            + URLEncoder.encode(accessToken, StandardCharsets.UTF_8)
            + "&clientId="
            + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
            + "&authType=2");
  }

  /** The delay before reconnect attempt {@code attempt} (1-based): doubling, capped, jittered. */
  Duration backoff(int attempt, double random) {
    long min = backoffMin.toMillis();
    long capped = Math.min(backoffMax.toMillis(), min << Math.min(30, Math.max(0, attempt - 1)));
    return Duration.ofMillis((long) (capped * (1 + backoffRandomFactor * random)));
  }
}
