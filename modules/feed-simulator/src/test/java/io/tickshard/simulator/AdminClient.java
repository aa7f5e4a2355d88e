package io.tickshard.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Calls the simulator's admin API over real HTTP. */
final class AdminClient {
  record Answer(int status, String contentType, JsonNode body) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final FeedSimulator simulator;

  AdminClient(FeedSimulator simulator) {
    this.simulator = simulator;
  }

  Answer get(String path) throws Exception {
    return send(HttpRequest.newBuilder(uri(path)).GET().build());
  }

  Answer post(String path) throws Exception {
    return send(
        HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()).build());
  }

  JsonNode stats() throws Exception {
    return get("stats").body();
  }

  JsonNode connections() throws Exception {
    return get("connections").body();
  }

  private URI uri(String path) {
    return simulator.adminUrl().resolve(path);
  }

  private Answer send(HttpRequest request) throws Exception {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    return new Answer(
        response.statusCode(),
        response.headers().firstValue("content-type").orElse(""),
        JSON.readTree(response.body()));
  }
}
