package io.tickshard.streams.entity;

import com.typesafe.config.Config;
import io.tickshard.streams.market.MarketHours;
import io.tickshard.streams.registry.RegistrySettings;
import io.tickshard.streams.upstream.FeedSettings;
import java.time.Duration;
import java.util.Optional;

/**
 * What the streams of a node need, built once per node from its configuration.
 *
 * @param unknownPassivateAfter how long an entity asked about an unknown (or stopped) key stays
 * @param askTimeout how long an entity waits for the registry or its feed to answer
 * @param idleStopAfter a running stream nobody uses stops after this long; empty: never
 */
public record StreamSettings(
    FeedSettings feed,
    MarketHours marketHours,
    Duration unknownPassivateAfter,
    Duration askTimeout,
    RegistrySettings registry,
    Optional<Duration> idleStopAfter) {

  /** Everything from configuration except the market hours, which the caller chooses. */
  public static StreamSettings fromConfig(Config config, MarketHours hours) {
    return new StreamSettings(
        FeedSettings.fromConfig(config),
        hours,
        config.getDuration("tickshard.streams.unknown-passivate-after"),
        config.getDuration("tickshard.streams.ask-timeout"),
        RegistrySettings.fromConfig(config, hours),
        idleStopAfter(config));
  }

  /** {@code off}, or a positive duration. */
  private static Optional<Duration> idleStopAfter(Config config) {
    String path = "tickshard.streams.idle-stop-after";
    if (config.getString(path).trim().equalsIgnoreCase("off")) {
      return Optional.empty();
    }
    Duration after = config.getDuration(path);
    if (after.isNegative() || after.isZero()) {
      throw new IllegalArgumentException(
          path + " must be off or a positive duration, not " + after);
    }
    return Optional.of(after);
  }
}
