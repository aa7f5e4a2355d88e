package io.tickshard.bench.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickshard.bench.measure.TickStamp;
import io.tickshard.bench.measure.Window;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The crowd's viewers against a small server of its own: a stream of stamped ticks as tickshard
 * writes them, a refusal, a connection cut after its head.
 */
class SseCrowdTest {
  private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
  private final Thread accepting = new Thread(this::accept, "test-sse-server");

  SseCrowdTest() throws IOException {
    accepting.setDaemon(true);
    accepting.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        Thread answering = new Thread(() -> answer(socket), "test-sse-viewer");
        answering.setDaemon(true);
        answering.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private static void answer(Socket socket) {
    try (socket) {
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String path = in.readLine().split(" ")[1];
      while (!in.readLine().isEmpty()) {
        // the rest of the head
      }
      OutputStream out = socket.getOutputStream();
      switch (path) {
        case "/full" ->
            write(out, "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 2\r\n\r\n{}");
        case "/cut" -> write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        default -> {
          write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
          write(out, chunk("event: snapshot\ndata: []\n\n"));
          for (long sequence = 1; ; sequence++) {
            write(out, chunk("event: tick\ndata: " + quote(7, sequence) + "\n\n"));
            Thread.sleep(10);
          }
        }
      }
    } catch (IOException | InterruptedException closed) {
      // the viewer left
    }
  }

  /** A quote as tickshard writes it, stamped as the simulator stamps it: sent now. */
  private static String quote(int securityId, long sequence) {
    long now = TickStamp.nowMicros();
    return "{\"segment\":\"NSE_EQ\",\"securityId\":"
        + securityId
        + ",\"kind\":\"quote\",\"ltp\":1.0,\"lastTradeTime\":\""
        + Instant.ofEpochSecond(now / 1_000_000)
        + "\",\"volume\":"
        + sequence
        + ",\"totalSellQuantity\":"
        + now % 1_000_000
        + "}";
  }

  private static String chunk(String data) {
    return Integer.toHexString(data.getBytes(StandardCharsets.UTF_8).length)
        + "\r\n"
        + data
        + "\r\n";
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Test
  void viewers_keep_up_and_refusals_and_cuts_are_told_apart() throws Exception {
    List<String> paths = new ArrayList<>(List.of("/full", "/cut"));
    for (int i = 0; i < 6; i++) {
      paths.add("/ticks/" + i);
    }
    try (SseCrowd crowd = new SseCrowd(server.getLocalPort(), 2)) {
      List<SseCrowd.Viewer> viewers = crowd.open(paths, Duration.ofSeconds(10));
      Map<SseCrowd.State, Long> states =
          viewers.stream()
              .collect(Collectors.groupingBy(SseCrowd.Viewer::state, Collectors.counting()));
      assertThat(states)
          .containsEntry(SseCrowd.State.VIEWING, 6L)
          .containsEntry(SseCrowd.State.REFUSED, 1L)
          .containsEntry(SseCrowd.State.LOST, 1L);
      assertThat(viewers.get(0).problem()).isEqualTo("answered 503");
      assertThat(viewers.get(1).problem()).isEqualTo("closed by the server");

      Window window = new Window();
      crowd.count(window);
      window.open();
      List<SseCrowd.Viewer> viewing = crowd.viewers().subList(2, 8);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> viewing.stream().allMatch(v -> v.pace().received() >= 10));
      window.close();
      // Every tick of the window has come once a tick sent after it has.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> viewing.stream().allMatch(v -> v.pace().keptUp(1_000_000)));

      for (SseCrowd.Viewer viewer : viewing) {
        assertThat(viewer.pace().keptUp(1_000_000)).as(viewer.path()).isTrue();
        assertThat(viewer.pace().received()).isGreaterThanOrEqualTo(10L);
        assertThat(viewer.pace().missed()).isZero();
      }
      assertThat(crowd.latencies().getTotalCount())
          .isEqualTo(
              crowd.viewers().stream()
                  .map(SseCrowd.Viewer::pace)
                  .mapToLong(p -> p.received())
                  .sum());
    }
  }

  @Test
  void viewers_with_no_answer_in_time_are_lost() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        SseCrowd crowd = new SseCrowd(silent.getLocalPort(), 1)) {
      List<SseCrowd.Viewer> viewers = crowd.open(List.of("/a", "/b"), Duration.ofMillis(300));
      assertThat(viewers).extracting(SseCrowd.Viewer::state).containsOnly(SseCrowd.State.LOST);
      assertThat(viewers)
          .extracting(SseCrowd.Viewer::problem)
          .allMatch(p -> p.startsWith("no answer within"));
    }
  }
}
