package io.tickshard.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickshard.streams.StreamState;
import io.tickshard.streams.ticks.FeedNotice;
import io.tickshard.streams.ticks.TickBatch;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ViewerFeedTest {
  private final AtomicInteger closed = new AtomicInteger();
  private final AtomicInteger behind = new AtomicInteger();
  private final ViewerFeed feed =
      new ViewerFeed(10, f -> closed.incrementAndGet(), behind::incrementAndGet);

  private static FeedNotice notice(StreamState state) {
    return new FeedNotice("k", state, "node", null, Instant.now());
  }

  @Test
  void a_response_never_sent_closes_its_feed_once() {
    feed.tell(notice(StreamState.RUNNING));
    feed.abandonIfUnbound();
    feed.abandonIfUnbound();
    feed.close();
    assertThat(closed).hasValue(1);
    assertThat(feed.bind(null)).isFalse(); // too late to start: the stage ends at once
  }

  @Test
  void a_bound_feed_is_not_abandoned_and_closes_once_when_its_response_ends() {
    assertThat(feed.bind(null)).isTrue();
    feed.abandonIfUnbound();
    assertThat(closed).hasValue(0);
    feed.close();
    feed.close();
    assertThat(closed).hasValue(1);
  }

  @Test
  void falling_behind_is_told_once_per_wait() {
    for (int tick = 0; tick < 30; tick++) {
      feed.tell(TickBatch.of(PendingEventsTest.quote(1, tick, tick)));
    }
    assertThat(behind).hasValue(1);
    assertThat(feed.drain()).hasSize(1);
    feed.tell(TickBatch.of(PendingEventsTest.quote(1, 1, 1)));
    assertThat(behind).hasValue(1); // caught up again
  }

  @Test
  void nothing_is_kept_for_a_closed_feed() {
    feed.close();
    feed.tell(notice(StreamState.RUNNING));
    assertThat(feed.drain()).isEmpty();
  }
}
