package io.tickshard.streams.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.FeedMode;
import io.tickshard.feed.FeedRequest;
import io.tickshard.feed.Instrument;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A socket's own copy of its table: changed by the registry's requests, or replaced whole. */
class SocketTableTest {

  private static Instrument nse(int id) {
    return Instrument.of(ExchangeSegment.NSE_EQ, id);
  }

  private static List<String> lines(List<FeedRequest> requests) {
    return requests.stream()
        .map(r -> r.code() + " " + r.instruments().stream().map(Instrument::securityId).toList())
        .toList();
  }

  @Test
  void requests_change_the_modes_an_unsubscribe_in_another_mode_does_not_remove() {
    SocketTable table = new SocketTable();
    table.apply(FeedRequest.subscribe(FeedMode.QUOTE, List.of(nse(1), nse(2))));
    table.apply(FeedRequest.unsubscribe(FeedMode.QUOTE, List.of(nse(2))));
    table.apply(FeedRequest.subscribe(FeedMode.FULL, List.of(nse(2))));
    // A stale unsubscribe of the old mode leaves the new subscription alone.
    table.apply(FeedRequest.unsubscribe(FeedMode.QUOTE, List.of(nse(2))));

    assertThat(table.modes()).isEqualTo(Map.of(nse(1), FeedMode.QUOTE, nse(2), FeedMode.FULL));
    assertThat(table.countsPerMode()).isEqualTo(Map.of(FeedMode.QUOTE, 1, FeedMode.FULL, 1));
    assertThat(table.carriesNothing()).isFalse();
  }

  @Test
  void replaced_whole_it_says_what_to_send_unsubscribes_first_a_hundred_at_most() {
    SocketTable table = new SocketTable();
    table.apply(FeedRequest.subscribe(FeedMode.QUOTE, List.of(nse(1), nse(2), nse(3))));
    Map<Instrument, FeedMode> next = new TreeMap<>();
    next.put(nse(1), FeedMode.QUOTE); // unchanged: nothing sent
    next.put(nse(2), FeedMode.FULL); // mode change: unsubscribe quote, subscribe full
    IntStream.rangeClosed(10, 160).forEach(id -> next.put(nse(id), FeedMode.TICKER));

    List<FeedRequest> requests = table.replaceWith(next);

    assertThat(lines(requests).subList(0, 1)).containsExactly("UNSUBSCRIBE_QUOTE [2, 3]");
    assertThat(requests.subList(1, 3))
        .allSatisfy(r -> assertThat(r.code().isSubscribe()).isTrue())
        .extracting(r -> r.instruments().size())
        .containsExactly(100, 51);
    assertThat(lines(requests).get(3)).isEqualTo("SUBSCRIBE_FULL [2]");
    assertThat(table.modes()).isEqualTo(next);
    assertThat(table.replaceWith(next)).isEmpty();
    assertThat(table.replaceWith(Map.of())).hasSize(4);
    assertThat(table.carriesNothing()).isTrue();
  }
}
