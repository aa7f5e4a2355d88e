package io.tickshard.redis;

import io.lettuce.core.RedisURI;
import java.util.Objects;

/**
 * The Redis server of {@code TICKSHARD_REDIS_URL}: its URI with the credentials for the client, and
 * a description without them for logs, health and errors ({@link #toString}). The URL itself is
 * never echoed: a parse error names what is wrong, not the text.
 */
public final class RedisEndpoint {
  private final RedisURI uri;
  private final String described;

  /** The URL's user-info password, to cut out of any text shown; empty when it has none. */
  private final String password;

  private RedisEndpoint(RedisURI uri, String password) {
    this.uri = uri;
    this.password = password;
    this.described =
        (uri.isSsl() ? "rediss://" : "redis://")
            + uri.getHost()
            + ":"
            + uri.getPort()
            + "/"
            + uri.getDatabase();
  }

  /** Parses {@code redis://[[user]:password@]host[:port][/db]} or {@code rediss://...}. */
  public static RedisEndpoint parse(String url) {
    if (!url.startsWith("redis://") && !url.startsWith("rediss://")) {
      throw new IllegalArgumentException(
          "TICKSHARD_REDIS_URL (tickshard.redis.url) must start with redis:// or rediss://");
    }
    RedisURI uri;
    try {
      uri = RedisURI.create(url);
    } catch (RuntimeException e) {
      // Not the message: it may quote the URL, password and all.
      throw new IllegalArgumentException(
          "TICKSHARD_REDIS_URL (tickshard.redis.url) is not a Redis URL"
              + " (redis://[[user]:password@]host[:port][/db])");
    }
    if (uri.getHost() == null || uri.getHost().isBlank()) {
      throw new IllegalArgumentException("TICKSHARD_REDIS_URL (tickshard.redis.url) names no host");
    }
    return new RedisEndpoint(uri, password(url));
  }

  private static String password(String url) {
    int from = url.indexOf("://") + 3;
    int at = url.lastIndexOf('@');
    if (at < from) {
      return "";
    }
    String userInfo = url.substring(from, at);
    int colon = userInfo.indexOf(':');
    return colon < 0 ? userInfo : userInfo.substring(colon + 1);
  }

  /** {@code text} with the password cut out, should it quote it. */
  String redact(String text) {
    return password.isEmpty() ? text : text.replace(password, "***");
  }

  /** For the client only. */
  RedisURI uri() {
    return uri;
  }

  /** Scheme, host, port and database: never the user or password. */
  @Override
  public String toString() {
    return described;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RedisEndpoint that && described.equals(that.described);
  }

  @Override
  public int hashCode() {
    return Objects.hash(described);
  }
}
