package io.tickshard.bench.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The few calls of tickshard's HTTP API a scenario needs to set itself up. */
public final class TickshardApi {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** The body of a start: a bench key of these NSE_EQ ids, in quote mode. */
  public static String startBody(String screenerType, List<Integer> ids) {
    ObjectNode body =
        JSON.createObjectNode().put("screenerType", screenerType).put("mode", "quote");
    ids.forEach(body.putArray("instruments")::add);
    return body.toString();
  }

  /** Starts (or finds running) a stream; answers its short id. */
  public String start(String api, String screenerType, List<Integer> ids) throws Exception {
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(URI.create(api + "/api/v1/streams"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(startBody(screenerType, ids)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200 && answer.statusCode() != 201) {
      throw new IllegalStateException(
          "start answered " + answer.statusCode() + ": " + answer.body());
    }
    return JSON.readTree(answer.body()).path("id").asText();
  }

  /**
   * Starts a stream of every key of {@code layout} and waits until all run and tick; answers their
   * short ids, by key.
   */
  public List<String> startAll(String api, KeyLayout layout) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int k = 0; k < layout.keys(); k++) {
      ids.add(start(api, "bench", layout.ids(k)));
    }
    awaitRunning(api, layout.keys(), Duration.ofMinutes(2));
    return ids;
  }

  public JsonNode get(String url) throws IOException, InterruptedException {
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) {
      throw new IllegalStateException(url + " answered " + answer.statusCode());
    }
    return JSON.readTree(answer.body());
  }

  /** Waits until every listed stream runs and has ticked. */
  public void awaitRunning(String api, int streams, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    long running = 0;
    while (Instant.now().isBefore(deadline)) {
      running = 0;
      for (JsonNode stream : get(api + "/api/v1/streams").path("streams")) {
        if (stream.path("status").asText().equals("running") && stream.path("ticks").asLong() > 0) {
          running++;
        }
      }
      if (running >= streams) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(
        running + " of " + streams + " streams running and ticking after " + timeout);
  }

  /**
   * Stops every stream of the cluster ({@code POST /api/v1/streams/stop-all}), asking each node in
   * turn until one answers 200.
   */
  public void stopAll(List<String> apis) throws InterruptedException {
    List<String> refused = new ArrayList<>();
    for (String api : apis) {
      try {
        HttpResponse<String> answer =
            http.send(
                HttpRequest.newBuilder(URI.create(api + "/api/v1/streams/stop-all"))
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 200) {
          return;
        }
        refused.add(api + " answered " + answer.statusCode() + ": " + answer.body());
      } catch (IOException noAnswer) {
        refused.add(api + ": " + noAnswer);
      }
    }
    throw new IllegalStateException("no node stopped every stream: " + refused);
  }

  /**
   * Waits until no stream is listed and no broker socket is open (a socket closes once the
   * unsubscribe grace of its last instruments is over): the cluster as it stands before the market
   * opens. Asks the nodes in turn, so that one that does not answer does not hold it up.
   */
  public void awaitIdle(List<String> apis, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    String last = "";
    for (int poll = 0; Instant.now().isBefore(deadline); poll++) {
      String api = apis.get(poll % apis.size());
      try {
        JsonNode streams = get(api + "/api/v1/streams").path("streams");
        JsonNode sockets = get(api + "/api/v1/upstream").path("sockets");
        if (streams.isEmpty() && sockets.isEmpty()) {
          return;
        }
        last = streams.size() + " streams listed, " + sockets.size() + " broker sockets open";
      } catch (IOException | IllegalStateException notAnswered) {
        last = api + ": " + notAnswered;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("still not idle after " + timeout + ": " + last);
  }

  /** The node (host:port of its remoting) that holds the cluster's first broker socket. */
  public String socketOwner(String api) throws Exception {
    JsonNode sockets = get(api + "/api/v1/upstream").path("sockets");
    if (sockets.isEmpty()) {
      throw new IllegalStateException("no broker socket is open");
    }
    return sockets.get(0).path("node").asText();
  }
}
