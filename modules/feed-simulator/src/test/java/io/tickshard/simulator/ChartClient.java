package io.tickshard.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tickshard.feed.Instrument;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Calls the simulator's intraday chart API over real HTTP, as a broker client would. */
final class ChartClient {
  record Answer(int status, JsonNode body) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter IST_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withZone(ChartRequest.IST);
  private final HttpClient http = HttpClient.newHttpClient();
  private final URI url;

  ChartClient(FeedSimulator simulator) {
    this.url = simulator.apiUrl().resolve(IntradayChartApi.PATH);
  }

  /** The broker's request body for {@code instrument} over {@code [from, to)}. */
  static ObjectNode body(Instrument instrument, String interval, Instant from, Instant to) {
    ObjectNode body = JSON.createObjectNode();
    body.put("securityId", String.valueOf(instrument.securityId()));
    body.put("exchangeSegment", instrument.segment().name());
    body.put("instrument", instrument.segment().name().endsWith("_FNO") ? "FUTIDX" : "EQUITY");
    body.put("interval", interval);
    body.put("oi", true);
    body.put("fromDate", IST_TIME.format(from));
    body.put("toDate", IST_TIME.format(to));
    return body;
  }

  Answer post(String clientId, String token, String body) {
    return postAsync(clientId, token, body).join();
  }

  CompletableFuture<Answer> postAsync(String clientId, String token, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (clientId != null) {
      request.header("client-id", clientId);
    }
    if (token != null) {
      request.header("access-token", token);
    }
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(response -> new Answer(response.statusCode(), read(response.body())));
  }

  /** An answer's columns as minutes, for comparing with the record. */
  static List<RecordedMinute> minutes(JsonNode answer) {
    List<RecordedMinute> minutes = new ArrayList<>();
    for (int i = 0; i < answer.get("timestamp").size(); i++) {
      minutes.add(
          new RecordedMinute(
              Instant.ofEpochSecond(answer.get("timestamp").get(i).asLong()),
              answer.get("open").get(i).floatValue(),
              answer.get("high").get(i).floatValue(),
              answer.get("low").get(i).floatValue(),
              answer.get("close").get(i).floatValue(),
              answer.get("volume").get(i).asLong(),
              answer.has("open_interest") ? answer.get("open_interest").get(i).asInt() : 0));
    }
    return minutes;
  }

  private static JsonNode read(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalStateException("not JSON: " + text, e);
    }
  }
}
