package io.tickshard.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickshard.bench.measure.Figures;
import io.tickshard.bench.measure.ViewerTally;
import io.tickshard.bench.rig.Rig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a climb is laid out, summed up, and what is said to bound it. */
class CapacityTest {
  private final Capacity capacity = new Capacity();

  CapacityTest() {
    capacity.node = new Rig.Node("node1", 1, 2, 3, 4);
    capacity.maxLagMillis = 1000;
    capacity.clientThreads = 2;
  }

  private static Capacity.Step step(
      int viewers, int keepingUp, double node, double tool, double machine) {
    Figures figures =
        new Figures()
            .put("viewers", viewers)
            .put("viewers keeping up", keepingUp)
            .put("viewers refused", 0)
            .put("viewers lost", 0)
            .put("viewers that missed ticks", viewers - keepingUp)
            .put("viewers with a tick later than 1000 ms", 0)
            .put("ticks/s delivered", viewers * 10.0)
            .put("heap per viewer KB", 12.5)
            .put("node CPU ms per 1,000 ticks", 20)
            .put("cpu % node1", node)
            .put("cpu % bench", tool)
            .put("cpu % of the machine", machine);
    return new Capacity.Step(viewers, figures, ViewerTally.newHistogram(), Map.of());
  }

  @Test
  void the_climb_is_the_listed_steps_below_the_last_then_the_last() {
    capacity.steps = List.of(5000, 1000, 12500, 2500, 1000);
    capacity.maxViewers = 7000;
    assertThat(capacity.climb()).containsExactly(1000, 2500, 5000, 7000);
  }

  @Test
  void the_summary_is_taken_at_the_most_viewers_that_all_kept_up() {
    Figures summary =
        capacity.summary(List.of(step(1000, 1000, 40, 20, 35), step(2500, 2400, 90, 60, 80)));
    assertThat(summary.get("most viewers all keeping up")).isEqualTo(1000);
    assertThat(summary.get("cpu % node1 there")).isEqualTo(40);
    assertThat(summary.get("first step not all keeping up")).isEqualTo(2500);
    assertThat(summary.get("viewers keeping up there")).isEqualTo(2400);
  }

  @Test
  void a_climb_where_all_kept_up_has_not_found_its_bound() {
    assertThat(capacity.bound(List.of(step(1000, 1000, 40, 20, 35))))
        .startsWith("What bounds it: not reached")
        .contains("up to 1,000", "the node took 40% of a core, this tool's viewers 20%");
  }

  @Test
  void a_busy_machine_is_named_as_what_bounds_it() {
    assertThat(capacity.bound(List.of(step(5000, 4900, 120, 60, 95))))
        .contains("at 5,000 viewers 4,900 kept up (100 missed ticks")
        .contains("the machine was busy");
  }

  @Test
  void saturated_viewer_threads_are_the_tools_limit_not_the_nodes() {
    assertThat(capacity.bound(List.of(step(5000, 4900, 20, 185, 99))))
        .contains("this tool's viewer threads were saturated");
  }

  @Test
  void a_node_behind_with_the_machine_idle_is_its_own_limit() {
    assertThat(capacity.bound(List.of(step(5000, 4900, 60, 20, 45))))
        .contains("the machine was not busy");
  }
}
