package io.tickshard.simulator;

import io.tickshard.feed.FeedLimits;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * How the simulator behaves: where it listens, whom it accepts, how fast it ticks, and the broker
 * limits it enforces (the real ones by default; raise them for load tests).
 *
 * @param credentials accepted client ids and their access tokens at start; tokens can be added and
 *     expired while the simulator runs ({@link SimulatorState#addCredential}, {@link
 *     SimulatorState#expireToken})
 * @param expiredTokens tokens answered with reason 807 (expired) instead of 809 (invalid)
 * @param ticksPerSecond market updates per subscribed instrument per second
 * @param seed seeds every instrument's random walk, so a run can be repeated
 * @param stampTicks stamp each quote and full packet with its send time and a sequence number, for
 *     latency and loss measurements (off by default; see {@link MarketWalk})
 * @param chartMinutes the minutes kept per instrument for the intraday chart API (the latest; 375,
 *     one session, by default; see {@link MinuteRecord})
 */
public record SimulatorConfig(
    String host,
    int port,
    Map<String, String> credentials,
    Set<String> expiredTokens,
    double ticksPerSecond,
    long seed,
    int maxInstrumentsPerRequest,
    int maxInstrumentsPerConnection,
    int maxConnectionsPerClient,
    Duration pingInterval,
    Duration pongTimeout,
    boolean stampTicks,
    int chartMinutes) {

  public static final String DEFAULT_CLIENT_ID = "sim-client";
  public static final String DEFAULT_ACCESS_TOKEN = "sim-token";
  public static final int DEFAULT_PORT = 8765;

  public SimulatorConfig {
    credentials = Map.copyOf(credentials);
    expiredTokens = Set.copyOf(expiredTokens);
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
    if (!(ticksPerSecond > 0 && ticksPerSecond <= 1_000)) {
      throw new IllegalArgumentException("ticks per second must be in (0, 1000]");
    }
    if (maxInstrumentsPerRequest < 1
        || maxInstrumentsPerConnection < 1
        || maxConnectionsPerClient < 1) {
      throw new IllegalArgumentException("limits must be at least 1");
    }
    if (pingInterval.isNegative()
        || pingInterval.isZero()
        || pongTimeout.compareTo(pingInterval) < 0) {
      throw new IllegalArgumentException("need 0 < ping interval <= pong timeout");
    }
    if (chartMinutes < 1) {
      throw new IllegalArgumentException("chart minutes must be at least 1");
    }
  }

  /**
   * The broker's behaviour on an ephemeral loopback port: one client ({@value #DEFAULT_CLIENT_ID} /
   * {@value #DEFAULT_ACCESS_TOKEN}), 2 ticks per second, pings every 10 s, 40 s pong timeout.
   */
  public static SimulatorConfig defaults() {
    return new SimulatorConfig(
        "127.0.0.1",
        0,
        Map.of(DEFAULT_CLIENT_ID, DEFAULT_ACCESS_TOKEN),
        Set.of(),
        2.0,
        42L,
        FeedLimits.MAX_INSTRUMENTS_PER_REQUEST,
        FeedLimits.MAX_INSTRUMENTS_PER_CONNECTION,
        FeedLimits.MAX_CONNECTIONS_PER_CLIENT,
        Duration.ofSeconds(10),
        Duration.ofSeconds(40),
        false,
        MinuteRecord.DEFAULT_CAPACITY);
  }

  public SimulatorConfig withAddress(String newHost, int newPort) {
    return new SimulatorConfig(
        newHost,
        newPort,
        credentials,
        expiredTokens,
        ticksPerSecond,
        seed,
        maxInstrumentsPerRequest,
        maxInstrumentsPerConnection,
        maxConnectionsPerClient,
        pingInterval,
        pongTimeout,
        stampTicks,
        chartMinutes);
  }

  public SimulatorConfig withCredentials(Map<String, String> newCredentials, Set<String> expired) {
    return new SimulatorConfig(
        host,
        port,
        newCredentials,
        expired,
        ticksPerSecond,
        seed,
        maxInstrumentsPerRequest,
        maxInstrumentsPerConnection,
        maxConnectionsPerClient,
        pingInterval,
        pongTimeout,
        stampTicks,
        chartMinutes);
  }

  /** How often each subscribed instrument ticks: 1 ms at the most. */
  public Duration tickInterval() {
    return Duration.ofNanos(Math.max(1_000_000L, (long) (1_000_000_000L / ticksPerSecond)));
  }

  public SimulatorConfig withMarket(double newTicksPerSecond, long newSeed) {
    return new SimulatorConfig(
        host,
        port,
        credentials,
        expiredTokens,
        newTicksPerSecond,
        newSeed,
        maxInstrumentsPerRequest,
        maxInstrumentsPerConnection,
        maxConnectionsPerClient,
        pingInterval,
        pongTimeout,
        stampTicks,
        chartMinutes);
  }

  public SimulatorConfig withLimits(int perRequest, int perConnection, int connectionsPerClient) {
    return new SimulatorConfig(
        host,
        port,
        credentials,
        expiredTokens,
        ticksPerSecond,
        seed,
        perRequest,
        perConnection,
        connectionsPerClient,
        pingInterval,
        pongTimeout,
        stampTicks,
        chartMinutes);
  }

  public SimulatorConfig withKeepAlive(Duration newPingInterval, Duration newPongTimeout) {
    return new SimulatorConfig(
        host,
        port,
        credentials,
        expiredTokens,
        ticksPerSecond,
        seed,
        maxInstrumentsPerRequest,
        maxInstrumentsPerConnection,
        maxConnectionsPerClient,
        newPingInterval,
        newPongTimeout,
        stampTicks,
        chartMinutes);
  }

  public SimulatorConfig withStampedTicks(boolean stamped) {
    return new SimulatorConfig(
        host,
        port,
        credentials,
        expiredTokens,
        ticksPerSecond,
        seed,
        maxInstrumentsPerRequest,
        maxInstrumentsPerConnection,
        maxConnectionsPerClient,
        pingInterval,
        pongTimeout,
        stamped,
        chartMinutes);
  }

  public SimulatorConfig withChartMinutes(int minutes) {
    return new SimulatorConfig(
        host,
        port,
        credentials,
        expiredTokens,
        ticksPerSecond,
        seed,
        maxInstrumentsPerRequest,
        maxInstrumentsPerConnection,
        maxConnectionsPerClient,
        pingInterval,
        pongTimeout,
        stampTicks,
        minutes);
  }

  /** Never prints tokens. */
  @Override
  public String toString() {
    return "SimulatorConfig[host="
        + host
        + ", port="
        + port
        + ", clientIds="
        + credentials.keySet()
        + ", ticksPerSecond="
        + ticksPerSecond
        + ", seed="
        + seed
        + ", limits="
        + maxInstrumentsPerRequest
        + "/"
        + maxInstrumentsPerConnection
        + "/"
        + maxConnectionsPerClient
        + ", ping="
        + pingInterval
        + ", pongTimeout="
        + pongTimeout
        + (stampTicks ? ", stampTicks" : "")
        + ", chartMinutes="
        + chartMinutes
        + "]";
  }
}
