package io.tickshard.service.rig;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The HTTP calls the multi-JVM proofs make to their nodes (docs/api.md). */
public final class StreamsApi {
  public static final HttpClient HTTP = HttpClient.newHttpClient();
  public static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CALL = Duration.ofSeconds(60);

  private StreamsApi() {}

  /** A stream's path, its key URL-encoded. */
  public static String path(String key) {
    return "/api/v1/streams/" + URLEncoder.encode(key, StandardCharsets.UTF_8);
  }

  /** The status of a GET, or -1 when there is no answer (a node not up yet, or gone). */
  public static int status(String url) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  /** The answer to a GET, whatever its status. */
  public static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The JSON body of a GET, whatever its status. */
  public static JsonNode json(String url) throws Exception {
    return JSON.readTree(get(url).body());
  }

  /** The JSON of the answer to a GET, which must be 200 (else the failure shows the answer). */
  public static JsonNode getOk(String url) throws Exception {
    HttpResponse<String> answer = get(url);
    assertThat(answer.statusCode()).as("GET %s: %s", url, answer.body()).isEqualTo(200);
    return JSON.readTree(answer.body());
  }

  /** One stream's status as {@code node} answers it. */
  public static JsonNode stream(NodeProcess node, String key) throws Exception {
    return json(node.api() + path(key));
  }

  /** A start request for {@code body} (the JSON of docs/api.md's start call). */
  public static HttpRequest startRequest(NodeProcess node, String body) {
    return HttpRequest.newBuilder(URI.create(node.api() + "/api/v1/streams"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .timeout(CALL)
        .build();
  }

  public static HttpResponse<String> start(NodeProcess node, String body) throws Exception {
    return HTTP.send(startRequest(node, body), HttpResponse.BodyHandlers.ofString());
  }

  /** Stops one stream (DELETE). */
  public static HttpResponse<String> stop(NodeProcess node, String key) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(node.api() + path(key))).DELETE().timeout(CALL).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public static HttpResponse<String> stopAll(NodeProcess node) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(node.api() + "/api/v1/streams/stop-all"))
            .POST(HttpRequest.BodyPublishers.noBody())
            .timeout(CALL)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The listing as {@code node} answers it, whatever its status. */
  public static HttpResponse<String> listing(NodeProcess node) throws Exception {
    return get(node.api() + "/api/v1/streams");
  }

  /** Every listed stream by key, from {@code node}'s listing, which must answer 200. */
  public static Map<String, JsonNode> streams(NodeProcess node) throws Exception {
    Map<String, JsonNode> streams = new LinkedHashMap<>();
    getOk(node.api() + "/api/v1/streams")
        .get("streams")
        .forEach(s -> streams.put(s.get("key").asText(), s));
    return streams;
  }

  /** Each listed stream's {@code field} (e.g. status, node) by key. */
  public static Map<String, String> field(NodeProcess node, String field) throws Exception {
    Map<String, String> values = new LinkedHashMap<>();
    streams(node).forEach((key, stream) -> values.put(key, stream.path(field).asText()));
    return values;
  }

  /** The registry's account of the broker sockets (GET /api/v1/upstream). */
  public static JsonNode upstream(NodeProcess node) throws Exception {
    return getOk(node.api() + "/api/v1/upstream");
  }

  /** JSON text, or the text itself as a JSON string when it is not JSON. */
  public static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      return JSON.getNodeFactory().textNode(text);
    }
  }
}
