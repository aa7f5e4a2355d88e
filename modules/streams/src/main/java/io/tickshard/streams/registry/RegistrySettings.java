package io.tickshard.streams.registry;

import com.typesafe.config.Config;
import io.tickshard.streams.market.MarketHours;
import java.time.Duration;
import java.time.ZoneId;

/**
 * The registry's settings: how often entities report, the broker connection budget, and the health
 * check.
 *
 * @param maxConnections sockets one broker client id may hold (the broker's limit is 5)
 * @param healthStaleAfter a stream whose heartbeat is older than this is restarted by the check
 * @param rebuildWindow the longest a new registry waits for every node's streams to report
 * @param placement whether keys share the sockets or hold one each
 * @param unsubscribeGrace how long an instrument (or a mode) no key needs stays subscribed
 * @param lostCheck how often streams that stay lost are looked up in the journal
 */
public record RegistrySettings(
    Duration heartbeatInterval,
    int maxConnections,
    HealthSchedule healthSchedule,
    Duration healthStaleAfter,
    Duration rebuildWindow,
    MarketHours marketHours,
    PlacementPolicy placement,
    Duration unsubscribeGrace,
    Duration lostCheck) {

  public static RegistrySettings fromConfig(Config config, MarketHours hours) {
    int max = config.getInt("tickshard.budget.max-connections");
    if (max < 1) {
      throw new IllegalArgumentException("tickshard.budget.max-connections must be at least 1");
    }
    return new RegistrySettings(
        config.getDuration("tickshard.feed.heartbeat-interval"),
        max,
        HealthSchedule.parse(
            config.getString("tickshard.health.schedule"),
            ZoneId.of(config.getString("tickshard.health.zone"))),
        config.getDuration("tickshard.health.stale-after"),
        config.getDuration("tickshard.registry.rebuild-window"),
        hours,
        PlacementPolicy.parse(config.getString("tickshard.upstream.sharing")),
        config.getDuration("tickshard.upstream.unsubscribe-grace"),
        config.getDuration("tickshard.registry.lost-check"));
  }
}
