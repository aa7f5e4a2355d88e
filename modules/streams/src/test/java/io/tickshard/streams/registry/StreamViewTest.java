package io.tickshard.streams.registry;

import static io.tickshard.streams.registry.SharedPlacementTest.k;
import static org.assertj.core.api.Assertions.assertThat;

import io.tickshard.feed.FeedMode;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamSpec;
import io.tickshard.streams.StreamState;
import io.tickshard.streams.StreamStatus;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The registry's view of the streams, without an actor: entities are plain names here. */
class StreamViewTest {
  private static final Instant T0 = Instant.parse("2026-12-01T04:00:00Z");

  private static StreamStatus running(StreamKey key, String node) {
    return StreamStatus.of(new StreamSpec(key, FeedMode.QUOTE), T0, node, 1)
        .withState(StreamState.RUNNING);
  }

  @Test
  void a_report_is_kept_with_when_its_entity_was_first_heard_and_its_short_id_resolves() {
    StreamView<String> view = new StreamView<>();
    view.reported(running(k("a"), "n1"), "entity-1", T0);
    view.reported(running(k("a"), "n1").withFigures(5, T0, 0), "entity-1", T0.plusSeconds(9));

    assertThat(view.get(k("a")).orElseThrow().since()).isEqualTo(T0);
    assertThat(view.get(k("a")).orElseThrow().status().ticks()).isEqualTo(5);
    assertThat(view.resolve(k("a").shortId())).contains(k("a"));

    // Reported by another entity (it moved): heard from then.
    view.reported(running(k("a"), "n2"), "entity-2", T0.plusSeconds(20));
    assertThat(view.get(k("a")).orElseThrow().since()).isEqualTo(T0.plusSeconds(20));

    assertThat(view.remove(k("a"))).isPresent();
    assertThat(view.resolve(k("a").shortId())).isEmpty();
    assertThat(view.knows(k("a"))).isFalse();
  }

  @Test
  void a_stream_is_lost_only_by_the_entity_that_ran_it_and_lost_ones_count_on_no_node() {
    StreamView<String> view = new StreamView<>();
    view.reported(running(k("a"), "n1"), "entity-1", T0);

    assertThat(view.lost(k("a"), "an-older-entity", "gone")).isEmpty();
    assertThat(view.lost(k("a"), "entity-1", "gone")).isPresent();

    assertThat(view.get(k("a")).orElseThrow().status().state()).isEqualTo(StreamState.LOST);
    assertThat(view.perNode()).isEmpty();
    assertThat(view.countsOn("n1")).isEmpty();
  }

  @Test
  void the_listing_sums_a_key_s_figures_over_its_sockets_and_keeps_the_latest_tick() {
    StreamView<String> view = new StreamView<>();
    view.reported(running(k("b"), "n1"), "entity-b", T0);
    view.reported(running(k("a"), "n1"), "entity-a", T0);
    view.figures("slot-0", Map.of(k("a"), new StreamView.KeyFigures(3, T0.plusSeconds(1))));
    view.figures("slot-1", Map.of(k("a"), new StreamView.KeyFigures(4, T0.plusSeconds(2))));
    // A socket's newer figures replace its older ones.
    view.figures("slot-0", Map.of(k("a"), new StreamView.KeyFigures(6, T0.plusSeconds(3))));

    assertThat(view.listing()).extracting(StreamStatus::key).containsExactly(k("a"), k("b"));
    StreamStatus a = view.listing().get(0);
    assertThat(a.ticks()).isEqualTo(10);
    assertThat(a.lastTickAt()).isEqualTo(T0.plusSeconds(3));
    assertThat(view.countsOn("n1")).isEqualTo(Map.of(StreamState.RUNNING, 2));
  }
}
