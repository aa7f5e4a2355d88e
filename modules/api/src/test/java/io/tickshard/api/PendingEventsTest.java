package io.tickshard.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.QuotePacket;
import io.tickshard.streams.StreamState;
import io.tickshard.streams.ticks.FeedNotice;
import io.tickshard.streams.ticks.Tick;
import io.tickshard.streams.ticks.TickBatch;
import io.tickshard.streams.ticks.ViewerEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PendingEventsTest {
  private static final Instant AT = Instant.parse("2026-12-07T04:00:00Z");

  static Tick quote(int securityId, float price, int volume) {
    return Tick.from(
        new QuotePacket(
            ExchangeSegment.NSE_EQ,
            securityId,
            price,
            1,
            0,
            price,
            volume,
            5,
            6,
            price,
            price,
            price,
            price),
        AT);
  }

  /** One burst: a quote for each of {@code instruments} ids from 1, at {@code price}. */
  private static TickBatch burst(int instruments, float price) {
    return new TickBatch(
        IntStream.rangeClosed(1, instruments).mapToObj(id -> quote(id, price, 100)).toList());
  }

  private static List<Tick> ticks(List<ViewerEvent> events) {
    List<Tick> ticks = new ArrayList<>();
    events.forEach(
        event -> {
          if (event instanceof TickBatch batch) {
            ticks.addAll(batch.ticks());
          }
        });
    return ticks;
  }

  private static FeedNotice notice(StreamState state) {
    return new FeedNotice("k", state, "node", null, AT);
  }

  @Test
  void a_viewer_that_keeps_up_gets_the_very_batches_in_order_however_big_the_burst() {
    // A 5,000-instrument key's burst and the next: nothing conflated, nothing dropped.
    PendingEvents pending = new PendingEvents(5_000);
    TickBatch first = burst(5_000, 10f);
    assertThat(pending.add(first)).isTrue();
    assertThat(pending.drain()).containsExactly(first);
    TickBatch second = burst(5_000, 11f);
    FeedNotice reconnecting = notice(StreamState.RECONNECTING);
    assertThat(pending.add(second)).isTrue();
    assertThat(pending.add(reconnecting)).isFalse(); // something waits already: no second wake
    assertThat(pending.drain()).containsExactly(second, reconnecting);
    assertThat(pending.isEmpty()).isTrue();
  }

  @Test
  void a_viewer_behind_by_more_than_its_key_holds_the_latest_per_instrument_only() {
    PendingEvents pending = new PendingEvents(300);
    for (int round = 0; round < 50; round++) {
      pending.add(burst(300, round));
    }
    List<Tick> waiting = ticks(pending.drain());
    assertThat(waiting).hasSize(300);
    assertThat(waiting).allSatisfy(tick -> assertThat(tick.ltp()).isEqualTo(49f));
    assertThat(waiting.stream().map(Tick::securityId))
        .containsExactlyElementsOf(IntStream.rangeClosed(1, 300).boxed().toList());
  }

  @Test
  void conflation_keeps_every_fields_latest_value_and_the_notices_place() {
    PendingEvents pending = new PendingEvents(1);
    FeedNotice reconnecting = notice(StreamState.RECONNECTING);
    pending.add(TickBatch.of(quote(1, 10f, 100)));
    pending.add(reconnecting);
    pending.add(TickBatch.of(quote(2, 20f, 200), quote(1, 11f, 150)));
    List<ViewerEvent> events = pending.drain();
    assertThat(events).hasSize(3);
    assertThat(((TickBatch) events.get(0)).ticks())
        .singleElement()
        .satisfies(tick -> assertThat(tick.ltp()).isEqualTo(11f));
    assertThat(events.get(1)).isEqualTo(reconnecting);
    assertThat(ticks(events).get(1).volume()).isEqualTo(200);
  }

  @Test
  void a_stop_is_never_replaced_and_nothing_comes_after_it() {
    PendingEvents kept = new PendingEvents(100);
    FeedNotice stopped = notice(StreamState.STOPPED);
    kept.add(TickBatch.of(quote(1, 10f, 100)));
    kept.add(stopped);
    assertThat(kept.add(TickBatch.of(quote(1, 12f, 100)))).isFalse();
    assertThat(kept.add(notice(StreamState.RUNNING))).isFalse();
    assertThat(kept.drain()).endsWith(stopped).hasSize(2);
    assertThat(kept.add(TickBatch.of(quote(1, 13f, 100)))).isFalse();
    assertThat(kept.isEmpty()).isTrue();

    PendingEvents conflated = new PendingEvents(0);
    conflated.add(TickBatch.of(quote(1, 10f, 100)));
    conflated.add(stopped);
    conflated.add(notice(StreamState.RUNNING));
    assertThat(conflated.drain()).endsWith(stopped);
  }
}
