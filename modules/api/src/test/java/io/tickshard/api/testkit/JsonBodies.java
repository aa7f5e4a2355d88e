package io.tickshard.api.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickshard.api.ApiJson;
import java.net.http.HttpResponse;

/**
 * Reads answer bodies as JSON with the API's own mapper, so a test reads what a client would. A
 * body that is not JSON fails the test with the body in the message rather than a checked
 * exception.
 */
public final class JsonBodies {
  private JsonBodies() {}

  public static JsonNode json(HttpResponse<String> response) {
    return json(response.body());
  }

  public static JsonNode json(String body) {
    return json(body, body);
  }

  /** As {@link #json(String)}, naming {@code context} (the request, the headers) on failure. */
  public static JsonNode json(String body, String context) {
    try {
      return ApiJson.MAPPER.readTree(body);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + context, e);
    }
  }
}
