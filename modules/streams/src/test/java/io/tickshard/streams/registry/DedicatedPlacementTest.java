package io.tickshard.streams.registry;

import static io.tickshard.streams.registry.SharedPlacementTest.k;
import static org.assertj.core.api.Assertions.assertThat;

import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.FeedMode;
import io.tickshard.feed.Instrument;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The dedicated policy: a slot per key, its socket carrying exactly that key's instruments. */
class DedicatedPlacementTest {
  private static final Duration GRACE = Duration.ofSeconds(10);
  private static final Instant T0 = Instant.parse("2026-12-01T04:00:00Z");

  private static List<Instrument> ids(int... ids) {
    return IntStream.of(ids).mapToObj(id -> Instrument.of(ExchangeSegment.NSE_EQ, id)).toList();
  }

  private static SocketPlacement.Placed placed(SocketPlacement.Outcome outcome) {
    assertThat(outcome).isInstanceOf(SocketPlacement.Placed.class);
    return (SocketPlacement.Placed) outcome;
  }

  private static List<String> requests(List<SocketPlacement.SocketDelta> deltas) {
    return deltas.stream()
        .flatMap(
            delta ->
                delta.requests().stream()
                    .map(
                        r ->
                            delta.slot()
                                + " "
                                + r.code()
                                + " "
                                + r.instruments().stream().map(i -> i.securityId()).toList()))
        .toList();
  }

  @Test
  void each_key_gets_a_slot_of_its_own_and_an_instrument_two_keys_want_rides_on_both() {
    DedicatedPlacement placement = new DedicatedPlacement(5, 5_000, GRACE);

    assertThat(requests(placed(placement.place(k("a"), ids(1, 2), FeedMode.QUOTE, T0)).deltas()))
        .containsExactly("0 SUBSCRIBE_QUOTE [1, 2]");
    assertThat(requests(placed(placement.place(k("b"), ids(2, 3), FeedMode.FULL, T0)).deltas()))
        .containsExactly("1 SUBSCRIBE_FULL [2, 3]");

    assertThat(placement.slotsOf(k("a"))).containsExactly(0);
    assertThat(placement.slotsOf(k("b"))).containsExactly(1);
    assertThat(placement.routes(1)).isEqualTo(Map.of(k("b"), Map.entry(FeedMode.FULL, ids(2, 3))));
    assertThat(placement.instrumentsInUse()).isEqualTo(4);
    assertThat(placed(placement.place(k("a"), ids(1, 2), FeedMode.QUOTE, T0)).deltas()).isEmpty();
  }

  @Test
  void a_key_past_the_budget_is_refused_naming_the_holders_and_a_stop_frees_its_slot_at_once() {
    DedicatedPlacement placement = new DedicatedPlacement(2, 5_000, GRACE);
    placement.place(k("a"), ids(1), FeedMode.TICKER, T0);
    placement.place(k("b"), ids(2), FeedMode.TICKER, T0);

    assertThat(placement.place(k("c"), ids(3), FeedMode.TICKER, T0))
        .isEqualTo(new SocketPlacement.Full(List.of(k("a"), k("b")), 2));
    assertThat(placement.holds(k("c"))).isFalse();

    assertThat(requests(placement.release(k("a"), T0))).containsExactly("0 UNSUBSCRIBE_TICKER [1]");
    assertThat(placement.slotsInUse()).containsExactly(1);
    assertThat(placed(placement.place(k("c"), ids(3), FeedMode.TICKER, T0)).slots())
        .containsExactly(0);
  }

  @Test
  void an_adopted_slot_waits_for_its_key_then_is_dropped_after_the_grace() {
    DedicatedPlacement placement = new DedicatedPlacement(2, 5_000, GRACE);
    placement.adopt(1, Map.of(ids(5).get(0), FeedMode.QUOTE, ids(6).get(0), FeedMode.QUOTE), T0);
    placement.adopt(0, Map.of(ids(7).get(0), FeedMode.FULL), T0);

    // Its key places again: it finds its socket as it is, and nothing is sent.
    SocketPlacement.Placed back = placed(placement.place(k("back"), ids(5, 6), FeedMode.QUOTE, T0));
    assertThat(back.slots()).containsExactly(1);
    assertThat(back.deltas()).isEmpty();
    // Slot 0's key does not come back: its instruments go after the grace.
    assertThat(placement.expire(T0.plus(GRACE).minusMillis(1))).isEmpty();
    assertThat(requests(placement.expire(T0.plus(GRACE))))
        .containsExactly("0 UNSUBSCRIBE_FULL [7]");
    assertThat(placement.slotsInUse()).containsExactly(1);
  }

  @Test
  void a_key_that_finds_every_slot_held_or_adopted_takes_an_adopted_one() {
    DedicatedPlacement placement = new DedicatedPlacement(1, 5_000, GRACE);
    placement.adopt(0, Map.of(ids(7).get(0), FeedMode.FULL), T0);

    SocketPlacement.Placed taken = placed(placement.place(k("new"), ids(8), FeedMode.QUOTE, T0));

    assertThat(taken.slots()).containsExactly(0);
    assertThat(requests(taken.deltas()))
        .containsExactly("0 UNSUBSCRIBE_FULL [7]", "0 SUBSCRIBE_QUOTE [8]");
    assertThat(placement.table(0)).isEqualTo(Map.of(ids(8).get(0), FeedMode.QUOTE));
  }
}
