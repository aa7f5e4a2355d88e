package io.tickshard.streams;

import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;

/** Feed timings shortened so that reconnects, staleness and heartbeats show within seconds. */
final class StreamTestConfig {
  static final Map<String, Object> FAST_FEED =
      Map.of(
          "tickshard.feed.stale-after", "1s",
          "tickshard.feed.heartbeat-interval", "500ms",
          "tickshard.feed.backoff.min", "200ms",
          "tickshard.feed.backoff.max", "2s",
          "tickshard.feed.close-timeout", "1s",
          "tickshard.streams.unknown-passivate-after", "1s");

  private StreamTestConfig() {}

  static StreamEntity.Settings settings(ActorSystem<?> system, MarketHours hours) {
    return StreamEntity.Settings.fromConfig(system.settings().config(), hours);
  }
}
