package io.tickshard.streams.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.FeedMode;
import io.tickshard.feed.FeedRequest;
import io.tickshard.feed.Instrument;
import io.tickshard.feed.RequestCode;
import io.tickshard.streams.StreamKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Where shared sockets carry instruments: each once, in the highest mode needed, packed. */
class SharedPlacementTest {
  private static final Duration GRACE = Duration.ofSeconds(10);
  private static final Instant T0 = Instant.parse("2026-12-01T04:00:00Z");

  /** A key named {@code name}: placement takes its instruments apart from its name. */
  static StreamKey k(String name) {
    return StreamKey.of(name, List.of("1"));
  }

  private static Instrument nse(int id) {
    return Instrument.of(ExchangeSegment.NSE_EQ, id);
  }

  private static List<Instrument> ids(int... ids) {
    return IntStream.of(ids).mapToObj(SharedPlacementTest::nse).toList();
  }

  private static SocketPlacement.Placed placed(SocketPlacement.Outcome outcome) {
    assertThat(outcome).isInstanceOf(SocketPlacement.Placed.class);
    return (SocketPlacement.Placed) outcome;
  }

  /** The requests of all deltas as "code:ids" lines, in order. */
  private static List<String> requests(List<SocketPlacement.SocketDelta> deltas) {
    List<String> lines = new ArrayList<>();
    for (SocketPlacement.SocketDelta delta : deltas) {
      for (FeedRequest request : delta.requests()) {
        lines.add(
            delta.slot()
                + " "
                + request.code()
                + " "
                + request.instruments().stream().map(i -> i.securityId()).toList());
      }
    }
    return lines;
  }

  @Test
  void
      fifty_keys_over_eight_hundred_instruments_share_one_socket_each_instrument_subscribed_once() {
    SharedPlacement placement = new SharedPlacement(5, 5_000, GRACE);
    Map<Instrument, Integer> subscribed = new HashMap<>();
    for (int key = 0; key < 50; key++) {
      int k = key;
      // Overlapping sets: key k has 40 instruments from a pool of 800.
      List<Instrument> set =
          IntStream.range(0, 40).mapToObj(i -> nse(1 + (k * 16 + i) % 800)).toList();
      SocketPlacement.Placed placed = placed(placement.place(k("k" + k), set, FeedMode.QUOTE, T0));
      assertThat(placed.slots()).containsExactly(0);
      for (SocketPlacement.SocketDelta delta : placed.deltas()) {
        for (FeedRequest request : delta.requests()) {
          assertThat(request.code()).isEqualTo(RequestCode.SUBSCRIBE_QUOTE);
          request.instruments().forEach(i -> subscribed.merge(i, 1, Integer::sum));
        }
      }
    }
    assertThat(placement.slotsInUse()).containsExactly(0);
    assertThat(placement.instrumentsInUse()).isEqualTo(800);
    assertThat(subscribed).hasSize(800).allSatisfy((i, times) -> assertThat(times).isEqualTo(1));
  }

  @Test
  void an_instrument_rides_in_the_highest_mode_needed_and_is_downgraded_after_the_grace() {
    SharedPlacement placement = new SharedPlacement(5, 5_000, GRACE);
    assertThat(requests(placed(placement.place(k("a"), ids(1, 2), FeedMode.QUOTE, T0)).deltas()))
        .containsExactly("0 SUBSCRIBE_QUOTE [1, 2]");
    assertThat(requests(placed(placement.place(k("b"), ids(2, 3), FeedMode.FULL, T0)).deltas()))
        .containsExactly("0 UNSUBSCRIBE_QUOTE [2]", "0 SUBSCRIBE_FULL [2, 3]");
    assertThat(placement.keysOf(nse(2)))
        .isEqualTo(Map.of(k("a"), FeedMode.QUOTE, k("b"), FeedMode.FULL));

    placement.release(k("b"), T0.plusSeconds(1));

    assertThat(placement.expire(T0.plusSeconds(10))).isEmpty();
    assertThat(requests(placement.expire(T0.plusSeconds(11))))
        .containsExactly("0 UNSUBSCRIBE_FULL [2, 3]", "0 SUBSCRIBE_QUOTE [2]");
    assertThat(placement.table(0))
        .isEqualTo(Map.of(nse(1), FeedMode.QUOTE, nse(2), FeedMode.QUOTE));
    assertThat(placement.keysOf(nse(3))).isEmpty();
  }

  @Test
  void a_key_started_again_inside_the_grace_costs_nothing() {
    SharedPlacement placement = new SharedPlacement(5, 5_000, GRACE);
    placement.place(k("a"), ids(1, 2), FeedMode.FULL, T0);
    placement.release(k("a"), T0);

    assertThat(
            placed(placement.place(k("a"), ids(1, 2), FeedMode.FULL, T0.plusSeconds(5))).deltas())
        .isEmpty();
    assertThat(placement.expire(T0.plusSeconds(60))).isEmpty();
    assertThat(placement.table(0)).hasSize(2);
  }

  @Test
  void the_last_key_of_an_instrument_gone_it_is_unsubscribed_and_an_empty_socket_closes() {
    SharedPlacement placement = new SharedPlacement(5, 5_000, GRACE);
    placement.place(k("a"), ids(1), FeedMode.TICKER, T0);
    placement.release(k("a"), T0);

    assertThat(requests(placement.expire(T0.plus(GRACE))))
        .containsExactly("0 UNSUBSCRIBE_TICKER [1]");
    assertThat(placement.slotsInUse()).isEmpty();
    assertThat(placement.instrumentsInUse()).isZero();
  }

  @Test
  void instruments_fill_the_fullest_socket_with_room_and_open_another_only_when_none_has() {
    SharedPlacement placement = new SharedPlacement(2, 3, GRACE);
    assertThat(placed(placement.place(k("a"), ids(1, 2, 3, 4), FeedMode.QUOTE, T0)).slots())
        .containsExactly(0, 1);
    assertThat(placed(placement.place(k("b"), ids(5), FeedMode.QUOTE, T0)).slots())
        .containsExactly(1);
    assertThat(placed(placement.place(k("c"), ids(1, 6), FeedMode.QUOTE, T0)).slots())
        .containsExactly(0, 1);
    assertThat(placement.slotsInUse()).containsExactly(0, 1);
  }

  @Test
  void a_key_that_does_not_fit_is_refused_whole_and_changes_nothing() {
    SharedPlacement placement = new SharedPlacement(2, 3, GRACE);
    placement.place(k("a"), ids(1, 2, 3, 4), FeedMode.QUOTE, T0);

    SocketPlacement.Outcome refused = placement.place(k("b"), ids(4, 5, 6, 7), FeedMode.FULL, T0);

    assertThat(refused).isEqualTo(new SocketPlacement.Refused(3, 4, 6));
    assertThat(placement.keysOf(nse(4))).isEqualTo(Map.of(k("a"), FeedMode.QUOTE));
    assertThat(placement.table(1)).isEqualTo(Map.of(nse(4), FeedMode.QUOTE));
    assertThat(placement.instrumentsInUse()).isEqualTo(4);
  }

  @Test
  void requests_carry_a_hundred_instruments_at_most_and_placing_again_sends_nothing() {
    SharedPlacement placement = new SharedPlacement(5, 5_000, GRACE);
    List<Instrument> many =
        IntStream.rangeClosed(1, 250).mapToObj(SharedPlacementTest::nse).toList();

    SocketPlacement.Placed placed = placed(placement.place(k("big"), many, FeedMode.TICKER, T0));

    assertThat(placed.deltas())
        .singleElement()
        .satisfies(
            delta ->
                assertThat(delta.requests())
                    .extracting(r -> r.instruments().size())
                    .containsExactly(100, 100, 50));
    assertThat(placed(placement.place(k("big"), many, FeedMode.TICKER, T0)).deltas()).isEmpty();
    assertThat(placement.keysOf(nse(250))).containsOnlyKeys(k("big"));
    assertThat(Set.copyOf(placement.table(0).values())).containsExactly(FeedMode.TICKER);
  }

  @Test
  void what_a_socket_carries_is_adopted_where_it_is_and_dropped_after_the_grace_unless_needed() {
    SharedPlacement placement = new SharedPlacement(5, 5_000, GRACE);
    placement.adopt(
        1, Map.of(nse(1), FeedMode.QUOTE, nse(2), FeedMode.FULL, nse(3), FeedMode.TICKER), T0);

    SocketPlacement.Placed placed = placed(placement.place(k("a"), ids(1, 2), FeedMode.QUOTE, T0));

    // Nothing moves and nothing is sent: 1 and 2 are carried already, 2 in more than needed.
    assertThat(placed.slots()).containsExactly(1);
    assertThat(placed.deltas()).isEmpty();
    assertThat(placement.routes(1)).isEqualTo(Map.of(k("a"), Map.entry(FeedMode.QUOTE, ids(1, 2))));
    // After the grace: 3, which no key needs, goes; 2 comes down to what "a" needs.
    assertThat(requests(placement.expire(T0.plus(GRACE))))
        .containsExactly(
            "1 UNSUBSCRIBE_TICKER [3]", "1 UNSUBSCRIBE_FULL [2]", "1 SUBSCRIBE_QUOTE [2]");
    assertThat(placement.table(1))
        .isEqualTo(Map.of(nse(1), FeedMode.QUOTE, nse(2), FeedMode.QUOTE));
  }

  @Test
  void a_release_names_the_sockets_the_key_rode_on_and_its_routes_go() {
    SharedPlacement placement = new SharedPlacement(2, 3, GRACE);
    placement.place(k("a"), ids(1, 2, 3, 4), FeedMode.QUOTE, T0);
    placement.place(k("b"), ids(4), FeedMode.FULL, T0);
    assertThat(placement.routes(1)).containsOnlyKeys(k("a"), k("b"));

    assertThat(placement.release(k("a"), T0))
        .containsExactly(
            new SocketPlacement.SocketDelta(0, List.of()),
            new SocketPlacement.SocketDelta(1, List.of()));
    assertThat(placement.release(k("a"), T0)).isEmpty();
    assertThat(placement.routes(0)).isEmpty();
    assertThat(placement.routes(1)).isEqualTo(Map.of(k("b"), Map.entry(FeedMode.FULL, ids(4))));
    assertThat(placement.holds(k("a"))).isFalse();
    assertThat(placement.nextExpiry()).contains(T0.plus(GRACE));
  }
}
