package io.tickshard.api;

import static io.tickshard.api.testkit.JsonBodies.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tickshard.api.HeldConnections.Held;
import io.tickshard.api.testkit.ApiPaths;
import io.tickshard.api.testkit.ApiServer;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * One node under a realistic hold: 5,000 idle tick viewers and 200 slowloris clients (one header
 * byte every 2 s) at once. REST keeps answering, every slowloris connection is closed by the server
 * after the header timeout, and when the node stops every viewer's seat is given back. The figures
 * are printed for docs/benchmarks.md; only generous bounds are asserted.
 */
class ConnectionLoadTest {
  private static final int VIEWERS = 5_000;
  private static final int SLOWLORIS = 200;
  private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration BYTE_EVERY = Duration.ofSeconds(2);
  private static final Duration MARGIN = Duration.ofSeconds(3);
  private static final Duration REST_BOUND = Duration.ofSeconds(2);
  private static final String KEY = "type:load|ids:1";

  /** A slowloris client: when it opened, and when it saw the server close it. */
  private static final class Trickle {
    final SocketChannel channel;
    final long openedAt = System.nanoTime();
    final AtomicInteger sent = new AtomicInteger();
    volatile long closedAt;

    Trickle(SocketChannel channel) {
      this.channel = channel;
    }

    boolean closed() {
      if (closedAt == 0 && HeldConnections.closedByServer(channel)) {
        closedAt = System.nanoTime();
      }
      return closedAt != 0;
    }

    Duration lived() {
      return Duration.ofNanos(closedAt - openedAt);
    }
  }

  /** One timed REST call. */
  private record Call(String what, int status, Duration took) {}

  @Test
  void five_thousand_viewers_and_two_hundred_slowloris_clients_leave_rest_answering()
      throws InterruptedException {
    // Both ends of every connection are in this JVM: it needs two files per connection.
    long needed = 2L * (VIEWERS + SLOWLORIS) + 2_048;
    assumeTrue(
        ConnectionLimits.processFileLimit().orElse(Long.MAX_VALUE) >= needed,
        "ulimit -n is below the " + needed + " files this test holds open");
    ApiServer server =
        ApiServer.start(
            Map.of(
                "tickshard.http.header-timeout",
                HEADER_TIMEOUT.toSeconds() + "s",
                "tickshard.api.sse-keep-alive",
                "15s",
                // Ending 5,000 streams at once on a busy machine can outlast the kit's 10 s.
                "pekko.actor.testkit.typed.system-shutdown-default",
                "30s"),
            1);
    HttpClient rest = HttpClient.newHttpClient();
    ScheduledExecutorService clients = Executors.newScheduledThreadPool(2);
    HeldConnections connections = new HeldConnections(server.base);
    boolean serverClosed = false;
    Throwable failed = null;
    try {
      assertThat(server.postJson(ApiPaths.STREAMS, startBody("load", 1)).statusCode())
          .isEqualTo(201);
      await("the load stream runs")
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  json(server.get(ApiPaths.stream(KEY)).body())
                      .path("status")
                      .asText()
                      .equals("running"));

      long opening = System.nanoTime();
      List<Held> viewers =
          connections.open(
              VIEWERS,
              HeldConnections.get(ApiPaths.stream(KEY) + "/ticks", "Accept: text/event-stream"),
              100,
              // About 15-25 s on 2 quiet cores; the margin is for a machine shared with builds.
              Duration.ofSeconds(90));
      Duration openedIn = Duration.ofNanos(System.nanoTime() - opening);
      assertThat(viewers).extracting(Held::status).containsOnly(200);
      assertThat(server.openViewers()).isEqualTo(VIEWERS);

      // 200 clients that each send one byte of a request head every 2 s, all at once.
      byte[] head = HeldConnections.get(ApiPaths.STREAMS).getBytes(StandardCharsets.US_ASCII);
      List<Trickle> trickles = new ArrayList<>();
      for (int i = 0; i < SLOWLORIS; i++) {
        trickles.add(new Trickle(connections.connect()));
      }
      clients.scheduleAtFixedRate(
          () -> trickles.forEach(t -> sendNextByte(t, head)),
          0,
          BYTE_EVERY.toMillis(),
          TimeUnit.MILLISECONDS);

      // Meanwhile REST calls, each timed: a listing every 250 ms, a new stream every 2 s.
      ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
      AtomicInteger started = new AtomicInteger();
      clients.scheduleWithFixedDelay(
          () -> calls.add(timed("GET /api/v1/streams", rest, get(server))),
          0,
          250,
          TimeUnit.MILLISECONDS);
      clients.scheduleWithFixedDelay(
          () ->
              calls.add(
                  timed(
                      "POST /api/v1/streams",
                      rest,
                      post(server, startBody("load", 100 + started.incrementAndGet())))),
          100,
          2_000,
          TimeUnit.MILLISECONDS);

      await("every slowloris connection closed by the server")
          .atMost(HEADER_TIMEOUT.plus(MARGIN).plusSeconds(2))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> trickles.stream().allMatch(Trickle::closed));
      // Let the calls under way finish: interrupted by shutdownNow, one would count as a failure.
      clients.shutdown();
      assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

      List<Duration> lived = trickles.stream().map(Trickle::lived).sorted().toList();
      List<Duration> listings = took(calls, "GET");
      List<Duration> starts = took(calls, "POST");
      System.out.printf(
          "connection load: %d viewers opened in %d ms; %d slowloris closed after"
              + " min %d / median %d / max %d ms (header-timeout %d s, at most %d bytes sent);"
              + " under that load GET /api/v1/streams x%d median %d / p95 %d / max %d ms,"
              + " POST /api/v1/streams x%d median %d / max %d ms%n",
          VIEWERS,
          openedIn.toMillis(),
          SLOWLORIS,
          lived.get(0).toMillis(),
          lived.get(lived.size() / 2).toMillis(),
          lived.get(lived.size() - 1).toMillis(),
          HEADER_TIMEOUT.toSeconds(),
          trickles.stream().mapToInt(t -> t.sent.get()).max().orElse(0),
          listings.size(),
          percentile(listings, 50),
          percentile(listings, 95),
          percentile(listings, 100),
          starts.size(),
          percentile(starts, 50),
          percentile(starts, 100));

      assertThat(lived.get(0)).isGreaterThanOrEqualTo(HEADER_TIMEOUT.minusMillis(200));
      assertThat(lived.get(lived.size() - 1)).isLessThanOrEqualTo(HEADER_TIMEOUT.plus(MARGIN));
      assertThat(calls)
          .isNotEmpty()
          .allSatisfy(
              call -> {
                assertThat(call.status()).as(call.what()).isIn(200, 201);
                assertThat(call.took()).as(call.what()).isLessThan(REST_BOUND);
              });
      // The viewers were held all along (longer than the header timeout) and are still there.
      assertThat(viewers).noneMatch(v -> HeldConnections.closedByServer(v.channel()));
      assertThat(server.openViewers()).isEqualTo(VIEWERS);

      // The node stops under them: every seat is given back, none twice.
      long stopping = System.nanoTime();
      serverClosed = true;
      server.close();
      System.out.printf(
          "connection load: node stopped in %d ms with %d viewers open%n",
          Duration.ofNanos(System.nanoTime() - stopping).toMillis(), VIEWERS);
      await("every seat given back at shutdown")
          .atMost(Duration.ofSeconds(5))
          .until(() -> server.openViewers() == 0);
    } catch (Throwable failure) {
      failed = failure;
      throw failure;
    } finally {
      clients.shutdownNow();
      connections.close();
      if (!serverClosed) {
        try {
          server.close();
        } catch (RuntimeException slowShutdown) {
          // The scenario's own failure says more than a shutdown that was slow after it.
          if (failed == null) {
            throw slowShutdown;
          }
          failed.addSuppressed(slowShutdown);
        }
      }
    }
    assertThat(connections.stillOpen()).isZero();
  }

  private static String startBody(String screener, int instrument) {
    return "{\"screenerType\":\"" + screener + "\",\"instruments\":[" + instrument + "]}";
  }

  private static HttpRequest get(ApiServer server) {
    return HttpRequest.newBuilder(server.uri(ApiPaths.STREAMS))
        .timeout(Duration.ofSeconds(10))
        .GET()
        .build();
  }

  private static HttpRequest post(ApiServer server, String body) {
    return HttpRequest.newBuilder(server.uri(ApiPaths.STREAMS))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private static Call timed(String what, HttpClient client, HttpRequest request) {
    long start = System.nanoTime();
    int status;
    try {
      status = client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    } catch (IOException e) {
      status = -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      status = -2;
    }
    return new Call(what, status, Duration.ofNanos(System.nanoTime() - start));
  }

  private static void sendNextByte(Trickle trickle, byte[] head) {
    int at = trickle.sent.get();
    if (trickle.closedAt != 0 || at >= head.length) {
      return;
    }
    try {
      HeldConnections.writeFully(trickle.channel, ByteBuffer.wrap(head, at, 1));
      trickle.sent.incrementAndGet();
    } catch (IOException closed) {
      // The server closed it; the test thread notices on its next read.
    }
  }

  private static List<Duration> took(ConcurrentLinkedQueue<Call> calls, String method) {
    List<Duration> took = new ArrayList<>();
    for (Call call : calls) {
      if (call.what().startsWith(method) && call.status() > 0) {
        took.add(call.took());
      }
    }
    Collections.sort(took);
    return took;
  }

  private static long percentile(List<Duration> sorted, int percent) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int index = Math.min(sorted.size() - 1, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1);
    return sorted.get(Math.max(0, index)).toMillis();
  }
}
