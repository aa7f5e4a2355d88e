package io.tickshard.streams.entity;

import io.tickshard.streams.market.MarketHours;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;

/** Feed timings shortened so that reconnects, staleness and heartbeats show within seconds. */
final class StreamTestConfig {
  static final Map<String, Object> FAST_FEED =
      Map.of(
          "tickshard.feed.stale-after", "2s",
          "tickshard.feed.heartbeat-interval", "500ms",
          "tickshard.feed.backoff.min", "200ms",
          "tickshard.feed.backoff.max", "2s",
          "tickshard.feed.close-timeout", "1s",
          "tickshard.streams.unknown-passivate-after", "1s",
          // A stopped key's instruments stay subscribed this long: a stop shows within seconds.
          "tickshard.upstream.unsubscribe-grace", "1s",
          // Most scenarios run more streams than the broker's 5; the budget has tests of its own.
          "tickshard.budget.max-connections", 50);

  private StreamTestConfig() {}

  static StreamSettings settings(ActorSystem<?> system, MarketHours hours) {
    return StreamSettings.fromConfig(system.settings().config(), hours);
  }
}
