package io.tickshard.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickshard.simulator.FeedSimulator;
import io.tickshard.simulator.SimulatorConfig;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node wired the way Main wires it (conf/application.conf, management, the API), in this JVM:
 * management says ready, lists the member, and the API answers.
 */
class NodeTest {
  private static FeedSimulator simulator;
  private static ActorSystem<Void> system;
  private static Node node;
  private static InProcessNode running;
  private static int managementPort;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    simulator = FeedSimulator.start(SimulatorConfig.defaults());
    running =
        InProcessNode.start(
            simulator,
            Map.of(
                "tickshard.http.header-timeout", "2s", "tickshard.http.keep-alive-timeout", "5s"));
    system = running.system;
    node = running.node;
    managementPort = running.managementPort;
  }

  @AfterAll
  static void stop() throws Exception {
    running.close();
    simulator.close();
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String management(String path) {
    return "http://127.0.0.1:" + managementPort + path;
  }

  @Test
  void management_reports_alive_and_then_ready_with_cluster_sharding_and_database() {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(get(management("/ready")).statusCode()).isEqualTo(200));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(get(management("/alive")).statusCode()).isEqualTo(200));
  }

  @Test
  void cluster_members_lists_this_node_as_up() throws Exception {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              HttpResponse<String> members = get(management("/cluster/members"));
              assertThat(members.statusCode()).isEqualTo(200);
              assertThat(members.body())
                  .contains("\"status\":\"Up\"")
                  .contains("pekko://tickshard@127.0.0.1");
            });
  }

  @Test
  void cluster_management_is_read_only() throws Exception {
    HttpResponse<String> leave =
        http.send(
            HttpRequest.newBuilder(URI.create(management("/cluster/members/")))
                .method("DELETE", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(leave.statusCode()).isIn(404, 405);
  }

  @Test
  void the_api_answers_on_its_port() throws Exception {
    String api = "http://127.0.0.1:" + node.httpAddress().getPort();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(get(api + "/api/v1/streams").statusCode()).isEqualTo(200));
    assertThat(get(api + "/").statusCode()).isEqualTo(200);
  }

  @Test
  void a_connection_whose_request_head_never_completes_is_closed_after_the_header_timeout()
      throws Exception {
    try (Socket socket = new Socket("127.0.0.1", node.httpAddress().getPort())) {
      socket.setSoTimeout(10_000);
      long opened = System.nanoTime();
      socket.getOutputStream().write("GET /api/v1/str".getBytes(StandardCharsets.US_ASCII));
      // Closed without an answer: there is no request to answer.
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - opened))
          .isBetween(Duration.ofMillis(1_800), Duration.ofSeconds(6));
    }
  }

  @Test
  void
      a_kept_alive_connection_serves_a_request_after_the_header_timeout_and_closes_after_the_keep_alive_timeout()
          throws Exception {
    try (Socket socket = new Socket("127.0.0.1", node.httpAddress().getPort())) {
      socket.setSoTimeout(15_000);
      InputStream in = socket.getInputStream();
      assertThat(exchange(socket, in)).startsWith("HTTP/1.1 200");
      // Idle for longer than the header timeout (2 s), which bounds only a new connection's head.
      Thread.sleep(3_000);
      assertThat(exchange(socket, in)).startsWith("HTTP/1.1 200");
      long answered = System.nanoTime();
      assertThat(in.read()).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - answered))
          .isBetween(Duration.ofMillis(4_800), Duration.ofSeconds(9));
    }
  }

  /** One GET on the socket; its status line and headers, once its body has been read. */
  private static String exchange(Socket socket, InputStream in) throws Exception {
    socket
        .getOutputStream()
        .write(
            "GET /api/v1/streams HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    StringBuilder head = new StringBuilder();
    while (head.indexOf("\r\n\r\n") < 0) {
      int b = in.read();
      assertThat(b).as("the answer's head, so far: %s", head).isNotEqualTo(-1);
      head.append((char) b);
    }
    Matcher length = Pattern.compile("(?i)content-length: (\\d+)").matcher(head);
    assertThat(length.find()).as(head.toString()).isTrue();
    in.readNBytes(Integer.parseInt(length.group(1)));
    return head.toString();
  }
}
