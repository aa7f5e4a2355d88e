package io.tickshard.streams.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickshard.feed.FeedMode;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamSpec;
import io.tickshard.streams.StreamState;
import io.tickshard.streams.StreamStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The health check's judgement, on a fixed clock and without a registry around it. */
class HealthCheckTest {
  private static final Duration STALE_AFTER = Duration.ofSeconds(30);
  private static final Instant NOW = Instant.parse("2024-06-03T05:00:00Z");
  private static final String NODE_A = "10.0.0.1:2552";
  private static final String NODE_B = "10.0.0.2:2552";

  private final HealthCheck check = new HealthCheck(STALE_AFTER);
  private final Holders budget = new Holders();

  /** The keys placed on the sockets, as the registry's placement would say. */
  private static final class Holders implements SlotHolding {
    private final Set<StreamKey> held = new HashSet<>();

    void hold(StreamKey key) {
      held.add(key);
    }

    @Override
    public boolean holds(StreamKey key) {
      return held.contains(key);
    }

    @Override
    public int used() {
      return held.size();
    }

    @Override
    public int limit() {
      return 5;
    }
  }

  /** A stream started an hour ago on {@code node}, in {@code state}, with no heartbeat yet. */
  private static StreamStatus stream(String instrument, String node, StreamState state) {
    StreamSpec spec = new StreamSpec(StreamKey.of("swing", List.of(instrument)), FeedMode.QUOTE);
    return StreamStatus.of(spec, NOW.minus(Duration.ofHours(1)), node, 1).withState(state);
  }

  /** The registry heard from it long ago, and it holds a slot. */
  private HealthCheck.Observed holdingASlot(StreamStatus status) {
    budget.hold(status.key());
    return new HealthCheck.Observed(status, NOW.minus(Duration.ofHours(1)));
  }

  private static Instant ago(Duration quiet) {
    return NOW.minus(quiet);
  }

  @Test
  void a_running_stream_without_a_heartbeat_for_longer_than_stale_after_is_restarted() {
    Instant heartbeat = ago(STALE_AFTER.plusSeconds(1));
    StreamStatus quiet = stream("1", NODE_A, StreamState.RUNNING).withHeartbeatAt(heartbeat);

    HealthCheck.Result result = check.judge(List.of(holdingASlot(quiet)), budget, NOW);

    assertThat(result.stale()).containsExactly(new HealthCheck.Stale(quiet.key(), heartbeat));
    assertThat(result.stale().get(0).reason())
        .isEqualTo("health check: no heartbeat since 2024-06-03T04:59:29Z");
  }

  @Test
  void a_running_stream_whose_heartbeat_is_recent_or_just_stale_after_old_is_left_alone() {
    StreamStatus recent =
        stream("1", NODE_A, StreamState.RUNNING).withHeartbeatAt(ago(Duration.ofSeconds(1)));
    StreamStatus onTheEdge =
        stream("2", NODE_A, StreamState.RUNNING).withHeartbeatAt(ago(STALE_AFTER));

    HealthCheck.Result result =
        check.judge(List.of(holdingASlot(recent), holdingASlot(onTheEdge)), budget, NOW);

    assertThat(result.stale()).isEmpty();
  }

  @Test
  void a_starting_stream_without_a_heartbeat_for_too_long_is_restarted() {
    StreamStatus stuck =
        stream("1", NODE_A, StreamState.STARTING).withHeartbeatAt(ago(Duration.ofMinutes(5)));

    HealthCheck.Result result = check.judge(List.of(holdingASlot(stuck)), budget, NOW);

    assertThat(result.staleKeys()).containsExactly(stuck.key().value());
  }

  @Test
  void a_reconnecting_stream_is_not_restarted() {
    StreamStatus backingOff =
        stream("1", NODE_A, StreamState.RECONNECTING).withHeartbeatAt(ago(Duration.ofMinutes(5)));

    HealthCheck.Result result = check.judge(List.of(holdingASlot(backingOff)), budget, NOW);

    assertThat(result.stale()).isEmpty();
  }

  @Test
  void a_stream_waiting_for_a_slot_is_not_restarted() {
    StreamStatus waiting =
        stream("1", NODE_A, StreamState.STARTING).withHeartbeatAt(ago(Duration.ofMinutes(5)));
    HealthCheck.Observed observed = new HealthCheck.Observed(waiting, ago(Duration.ofHours(1)));

    HealthCheck.Result result = check.judge(List.of(observed), budget, NOW);

    assertThat(result.stale()).as("it has no socket to restart").isEmpty();
  }

  @Test
  void a_moved_stream_without_heartbeat_is_judged_from_when_the_registry_first_heard_from_it() {
    // Started an hour ago elsewhere, so startedAt alone would call it stale at once.
    StreamStatus arrived = stream("1", NODE_B, StreamState.STARTING);
    StreamStatus arrivedEarlier = stream("2", NODE_B, StreamState.STARTING);
    budget.hold(arrived.key());
    budget.hold(arrivedEarlier.key());
    Instant heardLongAgo = ago(STALE_AFTER.plusSeconds(5));

    HealthCheck.Result result =
        check.judge(
            List.of(
                new HealthCheck.Observed(arrived, ago(Duration.ofSeconds(5))),
                new HealthCheck.Observed(arrivedEarlier, heardLongAgo)),
            budget,
            NOW);

    assertThat(result.stale())
        .containsExactly(new HealthCheck.Stale(arrivedEarlier.key(), heardLongAgo));
  }

  @Test
  void the_stale_streams_are_named_in_the_order_they_were_given() {
    StreamStatus second = stream("2", NODE_A, StreamState.RUNNING);
    StreamStatus first = stream("1", NODE_A, StreamState.RUNNING);

    HealthCheck.Result result =
        check.judge(List.of(holdingASlot(second), holdingASlot(first)), budget, NOW);

    assertThat(result.staleKeys()).containsExactly(second.key().value(), first.key().value());
  }

  @Test
  void the_summary_counts_streams_per_node_leaving_lost_ones_out() {
    StreamStatus stale = stream("1", NODE_B, StreamState.RUNNING);
    StreamStatus healthy =
        stream("2", NODE_A, StreamState.RUNNING).withHeartbeatAt(ago(Duration.ofSeconds(1)));
    StreamStatus failed = stream("3", NODE_A, StreamState.FAILED);
    StreamStatus lost = stream("4", "10.0.0.3:2552", StreamState.RUNNING).lost("its node left");

    HealthCheck.Result result =
        check.judge(
            List.of(
                holdingASlot(stale),
                holdingASlot(healthy),
                new HealthCheck.Observed(failed, NOW),
                new HealthCheck.Observed(lost, NOW)),
            budget,
            NOW);

    assertThat(result.perNode()).containsExactly(Map.entry(NODE_A, 2), Map.entry(NODE_B, 1));
    assertThat(result.streams()).isEqualTo(3);
    assertThat(result.summary())
        .isEqualTo(
            "health: 3 streams on 2 nodes (10.0.0.1:2552=2, 10.0.0.2:2552=1),"
                + " 1 stale restarted, budget 2/5");
  }

  @Test
  void with_no_streams_the_summary_says_so() {
    HealthCheck.Result result = check.judge(List.of(), budget, NOW);

    assertThat(result.summary())
        .isEqualTo("health: 0 streams on 0 nodes (), 0 stale restarted, budget 0/5");
  }
}
