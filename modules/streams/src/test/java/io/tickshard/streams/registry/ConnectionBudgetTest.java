package io.tickshard.streams.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickshard.feed.FeedMode;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamSpec;
import io.tickshard.streams.StreamState;
import io.tickshard.streams.StreamStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The broker connection budget's rules, without a registry around it. */
class ConnectionBudgetTest {
  private static final String CLIENT = "client";

  private static StreamStatus status(String instrument, StreamState state) {
    StreamSpec spec = new StreamSpec(StreamKey.of("swing", List.of(instrument)), FeedMode.QUOTE);
    return StreamStatus.of(spec, Instant.parse("2024-06-03T04:00:00Z"), "10.0.0.1:2552", 1)
        .withState(state);
  }

  @Test
  void slots_are_granted_up_to_the_budget_then_refused_naming_the_holders_in_order() {
    ConnectionBudget budget = new ConnectionBudget(2);

    // Neither the order they are granted in nor a hash map's order is the keys' order.
    assertThat(budget.tryAcquire("sensex", CLIENT)).isEqualTo(new ConnectionBudget.Granted());
    assertThat(budget.tryAcquire("nifty", CLIENT)).isEqualTo(new ConnectionBudget.Granted());

    assertThat(budget.tryAcquire("bank", CLIENT))
        .as("the holders are named in key order")
        .isEqualTo(new ConnectionBudget.Refused(List.of("nifty", "sensex"), 2));
    assertThat(budget.holds("bank")).isFalse();
    assertThat(budget.used()).isEqualTo(2);
    assertThat(budget.limit()).isEqualTo(2);
  }

  @Test
  void a_key_that_holds_a_slot_is_granted_again_without_counting_twice() {
    ConnectionBudget budget = new ConnectionBudget(2);
    budget.tryAcquire("a", CLIENT);

    assertThat(budget.tryAcquire("a", CLIENT)).isEqualTo(new ConnectionBudget.Kept());
    assertThat(budget.used()).isEqualTo(1);
    assertThat(budget.tryAcquire("b", CLIENT))
        .as("the second slot is still free")
        .isEqualTo(new ConnectionBudget.Granted());
  }

  @Test
  void a_key_that_holds_a_slot_keeps_it_even_when_the_budget_is_full() {
    ConnectionBudget budget = new ConnectionBudget(1);
    budget.tryAcquire("a", CLIENT);

    assertThat(budget.tryAcquire("a", CLIENT)).isEqualTo(new ConnectionBudget.Kept());
  }

  @Test
  void budgets_are_per_broker_client_id() {
    ConnectionBudget budget = new ConnectionBudget(1);

    assertThat(budget.tryAcquire("a", "client-1")).isEqualTo(new ConnectionBudget.Granted());
    assertThat(budget.tryAcquire("b", "client-2"))
        .as("another client id has a budget of its own")
        .isEqualTo(new ConnectionBudget.Granted());
    assertThat(budget.tryAcquire("c", "client-1"))
        .isEqualTo(new ConnectionBudget.Refused(List.of("a"), 1));
    assertThat(budget.holders("client-2")).containsExactly("b");
    assertThat(budget.used()).as("used counts every client id's slots").isEqualTo(2);
  }

  @Test
  void release_frees_the_slot() {
    ConnectionBudget budget = new ConnectionBudget(1);
    budget.tryAcquire("a", CLIENT);

    budget.release("a");

    assertThat(budget.holds("a")).isFalse();
    assertThat(budget.used()).isZero();
    assertThat(budget.tryAcquire("b", CLIENT)).isEqualTo(new ConnectionBudget.Granted());
  }

  @Test
  void releasing_a_key_without_a_slot_changes_nothing() {
    ConnectionBudget budget = new ConnectionBudget(1);
    budget.tryAcquire("a", CLIENT);

    budget.release("never-granted");

    assertThat(budget.holders(CLIENT)).containsExactly("a");
  }

  @Test
  void a_held_slot_counts_even_beyond_the_budget_because_its_socket_is_open() {
    ConnectionBudget budget = new ConnectionBudget(1);
    budget.hold("a", CLIENT);
    budget.hold("b", CLIENT);

    assertThat(budget.used()).isEqualTo(2);
    assertThat(budget.tryAcquire("c", CLIENT))
        .isEqualTo(new ConnectionBudget.Refused(List.of("a", "b"), 1));
  }

  @Test
  void a_reported_stream_that_was_granted_and_is_connecting_or_connected_counts() {
    for (StreamState state :
        List.of(StreamState.STARTING, StreamState.RUNNING, StreamState.RECONNECTING)) {
      ConnectionBudget budget = new ConnectionBudget(1);
      StreamStatus running = status("1", state);

      budget.reported(running, CLIENT, true);

      assertThat(budget.holders(CLIENT)).as(state.name()).containsExactly(running.key());
    }
  }

  @Test
  void a_reported_stream_waiting_for_a_slot_does_not_count() {
    ConnectionBudget budget = new ConnectionBudget(1);

    budget.reported(status("1", StreamState.STARTING), CLIENT, false);

    assertThat(budget.used()).isZero();
  }

  @Test
  void a_stream_that_reports_it_failed_or_stopped_gives_its_slot_back() {
    for (StreamState state : List.of(StreamState.FAILED, StreamState.STOPPED)) {
      ConnectionBudget budget = new ConnectionBudget(1);
      StreamStatus stream = status("1", StreamState.RUNNING);
      budget.reported(stream, CLIENT, true);

      budget.reported(stream.withState(state), CLIENT, true);

      assertThat(budget.holds(stream.key())).as(state.name()).isFalse();
    }
  }
}
