package io.tickshard.bench.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseResponseTest {
  private final StringBuilder body = new StringBuilder();
  private final SseResponse response =
      new SseResponse(
          (bytes, from, to) ->
              body.append(new String(bytes, from, to - from, StandardCharsets.UTF_8)));

  private void feedInPiecesOf(int size, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i += size) {
      response.feed(bytes, i, Math.min(bytes.length, i + size));
    }
  }

  @Test
  void a_chunked_answer_split_anywhere_comes_out_as_its_body() {
    String answer =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "14\r\nevent: tick\ndata: {}\r\n"
            + "1;ext=1\r\n\n\r\n"
            + "B\r\n: keep-aliv\r\n";
    for (int size : new int[] {1, 2, 3, 7, 1000}) {
      body.setLength(0);
      SseResponse fresh =
          new SseResponse(
              (b, f, t) -> body.append(new String(b, f, t - f, StandardCharsets.UTF_8)));
      byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < bytes.length; i += size) {
        fresh.feed(bytes, i, Math.min(bytes.length, i + size));
      }
      assertThat(fresh.status()).isEqualTo(200);
      assertThat(body.toString()).isEqualTo("event: tick\ndata: {}\n: keep-aliv");
      assertThat(fresh.ended()).isFalse();
    }
  }

  @Test
  void the_last_chunk_ends_it() {
    feedInPiecesOf(5, "HTTP/1.1 200 OK\r\ntransfer-encoding: CHUNKED\r\n\r\n2\r\nok\r\n0\r\n\r\n");
    assertThat(body.toString()).isEqualTo("ok");
    assertThat(response.ended()).isTrue();
  }

  @Test
  void a_body_not_chunked_runs_to_the_close() {
    feedInPiecesOf(4, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nevent: tick\ndata: {}\n\n");
    assertThat(body.toString()).isEqualTo("event: tick\ndata: {}\n\n");
  }

  @Test
  void the_status_is_known_once_the_head_is_in() {
    response.feed("HTTP/1.1 503 Service".getBytes(StandardCharsets.US_ASCII), 0, 20);
    assertThat(response.status()).isZero();
    feedInPiecesOf(100, " Unavailable\r\nContent-Length: 2\r\n\r\n{}");
    assertThat(response.status()).isEqualTo(503);
  }

  @Test
  void what_is_not_http_is_refused() {
    assertThatThrownBy(() -> feedInPiecesOf(100, "SSH-2.0-OpenSSH\r\n\r\n"))
        .isInstanceOf(IllegalStateException.class);
    SseResponse chunked = new SseResponse((b, f, t) -> {});
    byte[] bad =
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> chunked.feed(bad, 0, bad.length))
        .hasMessageContaining("not a chunk size");
  }
}
