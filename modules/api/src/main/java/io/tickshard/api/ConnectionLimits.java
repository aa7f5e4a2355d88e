package io.tickshard.api;

import com.sun.management.UnixOperatingSystemMXBean;
import com.typesafe.config.Config;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What one node's HTTP binding accepts, from {@code tickshard.http}: see docs/operations.md,
 * "Connection limits".
 *
 * @param maxConnections open connections at once, SSE viewers included; more wait unaccepted
 * @param headerTimeout how long a new connection may take to send its first complete request head
 * @param keepAliveTimeout how long a connection may take, after an answer, to send the next head
 * @param backlog connections the OS holds for the node to accept (listen backlog)
 */
public record ConnectionLimits(
    int maxConnections, Duration headerTimeout, Duration keepAliveTimeout, int backlog) {
  /** Files a node holds besides its HTTP connections: jars, journal pool, cluster, feeds. */
  public static final int FILES_BESIDES_HTTP = 1024;

  public ConnectionLimits {
    if (maxConnections < 1) {
      throw new IllegalArgumentException(
          "tickshard.http.max-connections (TICKSHARD_HTTP_MAX_CONNECTIONS) must be at least 1, not "
              + maxConnections);
    }
    if (backlog < 1) {
      throw new IllegalArgumentException(
          "tickshard.http.backlog must be at least 1, not " + backlog);
    }
    if (headerTimeout.isNegative() || headerTimeout.isZero()) {
      throw new IllegalArgumentException(
          "tickshard.http.header-timeout must be positive, not " + headerTimeout);
    }
    if (keepAliveTimeout.compareTo(headerTimeout) < 0) {
      throw new IllegalArgumentException(
          "tickshard.http.keep-alive-timeout ("
              + keepAliveTimeout
              + ") must not be below tickshard.http.header-timeout ("
              + headerTimeout
              + ")");
    }
  }

  /**
   * The limits; stops the node when viewers could take every connection, since viewers need no
   * token and REST would then have no room left.
   */
  public static ConnectionLimits fromConfig(Config root) {
    Config http = root.getConfig("tickshard.http");
    ConnectionLimits limits =
        new ConnectionLimits(
            http.getInt("max-connections"),
            http.getDuration("header-timeout"),
            http.getDuration("keep-alive-timeout"),
            http.getInt("backlog"));
    int viewers = root.getInt("tickshard.api.max-sse-viewers");
    if (viewers >= limits.maxConnections()) {
      throw new IllegalArgumentException(
          "tickshard.api.max-sse-viewers (TICKSHARD_MAX_SSE_VIEWERS) is "
              + viewers
              + ", not below tickshard.http.max-connections (TICKSHARD_HTTP_MAX_CONNECTIONS), "
              + limits.maxConnections()
              + ": viewers could hold every connection and leave none for REST calls");
    }
    return limits;
  }

  /** How many files this process may open ({@code ulimit -n}), where the JVM can tell. */
  public static OptionalLong processFileLimit() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
        ? OptionalLong.of(unix.getMaxFileDescriptorCount())
        : OptionalLong.empty();
  }

  /** The kernel's cap on any listen backlog ({@code net.core.somaxconn}), where Linux tells. */
  public static OptionalInt kernelBacklogCap() {
    try {
      return OptionalInt.of(
          // readString trusts the size /proc reports, and reads too little.
          Integer.parseInt(
              Files.readAllLines(Path.of("/proc/sys/net/core/somaxconn")).get(0).trim()));
    } catch (IOException
        | NumberFormatException
        | IndexOutOfBoundsException
        | SecurityException unknown) {
      return OptionalInt.empty();
    }
  }

  /** The file limit this node needs: every connection is a file, and the node has its own. */
  public long filesNeeded() {
    return (long) maxConnections + FILES_BESIDES_HTTP;
  }
}
