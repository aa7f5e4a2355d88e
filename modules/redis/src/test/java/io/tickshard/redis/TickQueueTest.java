package io.tickshard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickshard.streams.ticks.Tick;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The queue between the feed and Redis: bounded, keeps the newest, counts what it drops. */
class TickQueueTest {

  @Test
  void a_full_queue_drops_the_oldest_and_counts_each() throws Exception {
    AtomicInteger dropped = new AtomicInteger();
    TickQueue queue = new TickQueue(3, dropped::incrementAndGet);
    for (int volume = 1; volume <= 5; volume++) {
      queue.offer(SampleTicks.quote("NSE_EQ", 1333, 100f, volume));
    }
    assertThat(dropped).hasValue(2);
    List<Tick> left = queue.take(10, Duration.ZERO);
    assertThat(left).extracting(Tick::volume).containsExactly(3, 4, 5);
  }

  @Test
  void take_returns_at_most_a_batch_oldest_first_and_nothing_when_empty() throws Exception {
    TickQueue queue = new TickQueue(10, () -> {});
    assertThat(queue.take(2, Duration.ofMillis(10))).isEmpty();
    for (int volume = 1; volume <= 5; volume++) {
      queue.offer(SampleTicks.quote("NSE_EQ", 1333, 100f, volume));
    }
    assertThat(queue.take(2, Duration.ZERO)).extracting(Tick::volume).containsExactly(1, 2);
    assertThat(queue.size()).isEqualTo(3);
  }
}
