package io.tickshard.api.testkit;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Request paths of the REST API. A stream key holds {@code |} and {@code :}, so it is encoded. */
public final class ApiPaths {
  public static final String STREAMS = "/api/v1/streams";

  private ApiPaths() {}

  /** {@code /api/v1/streams/{key}}, the key URL-encoded. */
  public static String stream(String key) {
    return STREAMS + "/" + encodedKey(key);
  }

  /** A stream key as one path segment. */
  public static String encodedKey(String key) {
    return URLEncoder.encode(key, StandardCharsets.UTF_8);
  }
}
