package io.tickshard.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickshard.simulator.FeedSimulator;
import io.tickshard.simulator.SimulatorConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code GET /metrics} on the management port of a node in shared mode: Prometheus text with the
 * JVM's metrics, and tickshard's figures agreeing with what the API says (streams by state, the
 * socket and its instruments per mode, the budget, the journal, ticks received).
 */
class MetricsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Pattern METRIC_NAME =
      Pattern.compile("\\b((?:tickshard|jvm|process)_[a-z_]+)\\b");
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)$", Pattern.MULTILINE);

  private static FeedSimulator simulator;
  private static ActorSystem<Void> system;
  private static Node node;
  private static InProcessNode running;
  private static int managementPort;

  @BeforeAll
  static void start() throws Exception {
    simulator = FeedSimulator.start(SimulatorConfig.defaults().withMarket(50, 3));
    running = InProcessNode.start(simulator, Map.of("tickshard.upstream.sharing", "shared"));
    system = running.system;
    node = running.node;
    managementPort = running.managementPort;
  }

  @AfterAll
  static void stop() throws Exception {
    running.close();
    simulator.close();
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(
        request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String api(String path) {
    return "http://127.0.0.1:" + node.httpAddress().getPort() + path;
  }

  private static HttpResponse<String> metrics() throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/metrics")));
  }

  /** Every sample of the text format: "name{labels}" → value. */
  private static Map<String, Double> samples(String text) {
    Map<String, Double> samples = new HashMap<>();
    Matcher m = SAMPLE.matcher(text);
    while (m.find()) {
      samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.valueOf(m.group(3)));
    }
    return samples;
  }

  private static void start(String body) throws Exception {
    HttpResponse<String> started =
        send(
            HttpRequest.newBuilder(URI.create(api("/api/v1/streams")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
    starts++;
  }

  /** Starts this class made, each answered 201. */
  private static int starts;

  @Test
  void metrics_agree_with_the_api() throws Exception {
    start("{\"screenerType\":\"metrics-a\",\"instruments\":[1333,2885,11536],\"mode\":\"quote\"}");
    start("{\"screenerType\":\"metrics-b\",\"instruments\":[11536,1594],\"mode\":\"full\"}");

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              HttpResponse<String> response = metrics();
              assertThat(response.statusCode()).isEqualTo(200);
              assertThat(response.headers().firstValue("Content-Type").orElse(""))
                  .startsWith("text/plain");
              Map<String, Double> samples = samples(response.body());
              JsonNode upstream =
                  JSON.readTree(
                      send(HttpRequest.newBuilder(URI.create(api("/api/v1/upstream")))).body());
              JsonNode socket = upstream.get("sockets").get(0);
              assertThat(socket.get("state").asText()).isEqualTo("connected");
              JsonNode listing =
                  JSON.readTree(
                      send(HttpRequest.newBuilder(URI.create(api("/api/v1/streams")))).body());
              long running = 0;
              for (JsonNode stream : listing.get("streams")) {
                running += stream.get("status").asText().equals("running") ? 1 : 0;
              }
              assertThat(running).isGreaterThanOrEqualTo(2);
              assertThat(samples)
                  .containsEntry("tickshard_streams{state=\"running\"}", (double) running);
              assertThat(samples)
                  .containsEntry("tickshard_upstream_sockets{state=\"connected\"}", 1.0);
              for (String mode : List.of("ticker", "quote", "full")) {
                assertThat(samples)
                    .containsEntry(
                        "tickshard_upstream_instruments{mode=\"" + mode + "\"}",
                        socket.get("instruments").get(mode).asDouble());
              }
              assertThat(samples)
                  .containsEntry("tickshard_budget_used", upstream.get("socketsInUse").asDouble())
                  .containsEntry("tickshard_budget_limit", upstream.get("budget").asDouble())
                  .containsEntry("tickshard_journal_up", 1.0);
              assertThat(samples.get("tickshard_ticks_received_total")).isPositive();
              assertThat(samples)
                  .containsEntry("tickshard_start_requests_total{status=\"201\"}", (double) starts);
              assertThat(samples)
                  .containsEntry("tickshard_start_duration_seconds_count", (double) starts);
              assertThat(samples.keySet())
                  .anyMatch(name -> name.startsWith("jvm_memory_used_bytes"));
              // Bounded labels: no stream key, no instrument.
              assertThat(response.body()).doesNotContain("metrics-a").doesNotContain("1333");
            });
  }

  @Test
  void a_tick_viewer_is_counted_and_so_are_the_ticks_sent_to_it() throws Exception {
    start("{\"screenerType\":\"metrics-viewer\",\"instruments\":[4963],\"mode\":\"quote\"}");
    String ticks =
        api(
            "/api/v1/streams/"
                + java.net.URLEncoder.encode(
                    "type:metrics-viewer|ids:4963", java.nio.charset.StandardCharsets.UTF_8)
                + "/ticks");
    HttpResponse<java.util.stream.Stream<String>> viewer =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(ticks)).build(), HttpResponse.BodyHandlers.ofLines());
    try (java.util.stream.Stream<String> lines = viewer.body()) {
      // Read until a live tick came (the snapshot is one event, not counted as a tick).
      lines.filter("event: tick"::equals).findFirst();
      Map<String, Double> samples = samples(metrics().body());
      assertThat(samples).containsEntry("tickshard_sse_viewers", 1.0);
      assertThat(samples.get("tickshard_ticks_delivered_total")).isPositive();
    }
  }

  @Test
  void every_query_of_the_dashboard_names_a_metric_the_node_exports() throws Exception {
    JsonNode dashboard =
        JSON.readTree(
            Files.readString(
                Path.of("..", "..", "docker", "grafana", "dashboards", "tickshard.json")));
    Set<String> names = new TreeSet<>();
    int queries = 0;
    for (JsonNode panel : dashboard.get("panels")) {
      for (JsonNode target : panel.get("targets")) {
        queries++;
        names.addAll(metricsIn(target.get("expr").asText()));
      }
    }
    assertThat(queries).isGreaterThanOrEqualTo(10);
    assertThat(names)
        .contains(
            "tickshard_streams",
            "tickshard_upstream_sockets",
            "tickshard_upstream_instruments",
            "tickshard_ticks_received_total",
            "tickshard_ticks_delivered_total",
            "tickshard_upstream_reconnects_total",
            "tickshard_start_duration_seconds_bucket",
            "tickshard_sse_viewers",
            "tickshard_broker_token_expiry_seconds",
            "tickshard_journal_up",
            "jvm_memory_used_bytes");
    assertExported(names);
  }

  @Test
  void every_alert_rule_names_a_metric_the_node_exports() throws Exception {
    Map<String, Object> alerts =
        new Yaml()
            .load(Files.readString(Path.of("..", "..", "docker", "prometheus", "alerts.yml")));
    Set<String> names = new TreeSet<>();
    for (Object group : (List<?>) alerts.get("groups")) {
      for (Object rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
        Set<String> named = metricsIn(String.valueOf(((Map<?, ?>) rule).get("expr")));
        assertThat(named).as("%s names a metric", rule).isNotEmpty();
        names.addAll(named);
      }
    }
    assertThat(names)
        .contains(
            "tickshard_ticks_received_total",
            "tickshard_budget_used",
            "tickshard_broker_token_expiry_seconds",
            "tickshard_journal_up");
    assertExported(names);
  }

  private static Set<String> metricsIn(String query) {
    Set<String> names = new TreeSet<>();
    Matcher m = METRIC_NAME.matcher(query);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** Each name has samples at a live node's /metrics, or is declared there (a gauge not set). */
  private void assertExported(Set<String> names) throws Exception {
    String exported = metrics().body();
    Set<String> seen = new HashSet<>();
    Matcher sample = SAMPLE.matcher(exported);
    while (sample.find()) {
      seen.add(sample.group(1));
    }
    // The token of the simulator carries no expiry: that gauge is declared, with no sample.
    for (String name : names) {
      assertThat(seen.contains(name) || exported.contains("# TYPE " + name + " "))
          .as("%s is exported", name)
          .isTrue();
    }
  }
}
