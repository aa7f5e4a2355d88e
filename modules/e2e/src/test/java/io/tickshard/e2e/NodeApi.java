package io.tickshard.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What a test does to a node behind the page's back: start and stop streams over HTTP. */
final class NodeApi {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String base;

  NodeApi(String base) {
    this.base = base;
  }

  /** Starts a stream; answers its canonical key. */
  String start(String screenerType, List<Object> instruments) throws Exception {
    String body =
        JSON.writeValueAsString(
            Map.of("screenerType", screenerType, "instruments", instruments, "mode", "quote"));
    HttpResponse<String> answer =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/streams"))
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 201 && answer.statusCode() != 200) {
      throw new AssertionError("start answered " + answer.statusCode() + ": " + answer.body());
    }
    return JSON.readTree(answer.body()).path("key").asText();
  }

  /** Stops a stream, as another page or a script would. */
  void stop(String key) throws Exception {
    HttpResponse<String> answer =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/streams/" + encode(key)))
                .timeout(Duration.ofSeconds(15))
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) {
      throw new AssertionError("stop answered " + answer.statusCode() + ": " + answer.body());
    }
  }

  JsonNode stream(String key) throws Exception {
    return JSON.readTree(
        HTTP.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/streams/" + encode(key)))
                    .timeout(Duration.ofSeconds(15))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
  }

  /** The page's URL that opens the live panel on {@code key}. */
  String watchUrl(String key) {
    return base + "/#watch=" + encode(key);
  }

  String page() {
    return base + "/";
  }

  /** The node's address, as a page on another origin names it. */
  String base() {
    return base;
  }

  /** The number a metric of the node's management port shows now (its first sample). */
  static double metric(String management, String name) throws Exception {
    String text =
        HTTP.send(
                HttpRequest.newBuilder(URI.create(management + "/metrics"))
                    .timeout(Duration.ofSeconds(15))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return text.lines()
        .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
        .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + name));
  }

  static String encode(String key) {
    return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
