package io.tickshard.bench.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseLinesTest {
  private final List<String> events = new ArrayList<>();
  private final SseLines lines =
      new SseLines(
          (name, data, length) ->
              events.add(name + "=" + new String(data, 0, length, StandardCharsets.UTF_8)));

  @Test
  void events_split_anywhere_across_chunks_come_out_whole() {
    byte[] stream =
        "event: snapshot\ndata: []\n\nevent: tick\ndata: {\"a\":1}\n\n: keep-alive\n\n"
            .getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < stream.length; i += 3) {
      lines.feed(stream, i, Math.min(stream.length, i + 3));
    }
    assertThat(events).containsExactly("snapshot=[]", "tick={\"a\":1}");
    assertThat(lines.comments()).isEqualTo(1);
  }

  @Test
  void data_lines_join_with_newlines_and_crlf_is_read_as_lf() {
    lines.feed("data: one\r\ndata:two\r\n\r\nevent: stopped\ndata: {}\n\n");
    assertThat(events).containsExactly("message=one\ntwo", "stopped={}");
  }

  @Test
  void a_long_event_grows_the_buffers() {
    String big = "x".repeat(10_000);
    lines.feed("event: tick\ndata: " + big + "\n\n");
    assertThat(events).containsExactly("tick=" + big);
  }
}
