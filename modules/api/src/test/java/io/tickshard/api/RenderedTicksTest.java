package io.tickshard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.QuotePacket;
import io.tickshard.streams.ticks.Tick;
import io.tickshard.streams.ticks.TickBatch;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

class RenderedTicksTest {
  private final AtomicInteger renders = new AtomicInteger();
  private final RenderedTicks rendered =
      new RenderedTicks(
          // Direct-mapped: a batch and its ticks share a slot when their identity hashes collide
          // (one run in ~20 with 64 slots made this test re-render); with 65,536 it is ~1 in
          // 20,000.
          1 << 16,
          tick -> {
            renders.incrementAndGet();
            return ByteString.fromString("event: tick\ndata: " + ApiJson.write(tick) + "\n\n");
          });

  private static Tick quote(float price) {
    return Tick.from(
        new QuotePacket(
            ExchangeSegment.NSE_EQ,
            2885,
            price,
            10,
            0,
            price,
            100,
            5,
            6,
            price,
            price,
            price,
            price),
        Instant.parse("2026-12-02T04:00:00Z"));
  }

  @Test
  void a_tick_handed_to_many_viewers_is_written_once() {
    Tick tick = quote(1402.5f);
    ByteString first = rendered.event(tick);
    for (int viewer = 0; viewer < 20; viewer++) {
      assertThat(rendered.event(tick)).isSameAs(first);
    }
    assertThat(renders).hasValue(1);
    assertThat(first.utf8String()).isEqualTo("event: tick\ndata: " + ApiJson.write(tick) + "\n\n");
  }

  @Test
  void another_instance_is_written_for_itself_even_when_equal() {
    Tick tick = quote(1402.5f);
    Tick conflated = quote(1402.5f);
    rendered.event(tick);
    rendered.event(conflated);
    assertThat(renders).hasValue(2);
    Tick other = quote(1403f);
    assertThat(rendered.event(other).utf8String()).contains("\"ltp\":1403.0");
  }

  @Test
  void a_batch_handed_to_many_viewers_is_one_chunk_written_once() {
    TickBatch batch = TickBatch.of(quote(1402.5f), quote(1403f));
    ByteString first = rendered.events(batch);
    for (int viewer = 0; viewer < 20; viewer++) {
      assertThat(rendered.events(batch)).isSameAs(first);
    }
    assertThat(renders).hasValue(2);
    assertThat(first.utf8String())
        .isEqualTo(
            rendered
                .event(batch.ticks().get(0))
                .concat(rendered.event(batch.ticks().get(1)))
                .utf8String());
    // A batch of known ticks (a slow viewer's conflation) writes none of them again.
    rendered.events(new TickBatch(batch.ticks()));
    assertThat(renders).hasValue(2);
  }

  @Test
  void the_size_is_a_power_of_two() {
    assertThatThrownBy(() -> new RenderedTicks(100, tick -> ByteString.emptyByteString()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
