package io.tickshard.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickshard.bench.measure.Figures;
import io.tickshard.bench.measure.ViewerTally;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a climb comes to, and what is said to bound it. */
class ClimbTest {
  private final Climb climb = new Climb("node1", 1000, 2);

  private static Climb.Step step(
      int viewers, int keepingUp, double node, double tool, double machine) {
    Figures figures =
        new Figures()
            .put("viewers", viewers)
            .put("viewers keeping up", keepingUp)
            .put("viewers refused", 0)
            .put("viewers lost", 0)
            .put("viewers that missed ticks", viewers - keepingUp)
            .put(Climb.lateViewers(1000), 0)
            .put("ticks/s delivered", viewers * 10.0)
            .put("heap per viewer KB", 12.5)
            .put("node CPU ms per 1,000 ticks", 20)
            .put("cpu % node1", node)
            .put("cpu % bench", tool)
            .put("cpu % of the machine", machine);
    return new Climb.Step(viewers, figures, ViewerTally.newHistogram(), Map.of());
  }

  @Test
  void it_goes_on_while_every_viewer_keeps_up_and_sums_up_at_the_most_that_did() {
    assertThat(climb.goesOn()).isTrue();
    climb.add(step(1000, 1000, 40, 20, 35));
    assertThat(climb.goesOn()).isTrue();
    climb.add(step(2500, 2400, 90, 60, 80));
    assertThat(climb.goesOn()).isFalse();

    Figures summary = climb.summary();
    assertThat(summary.get("most viewers all keeping up")).isEqualTo(1000);
    assertThat(summary.get("cpu % node1 there")).isEqualTo(40);
    assertThat(summary.get("first step not all keeping up")).isEqualTo(2500);
    assertThat(summary.get("viewers keeping up there")).isEqualTo(2400);
    assertThat(climb.table())
        .startsWith("| figure | 1,000 viewers | 2,500 viewers |")
        .contains("What bounds it: at 2,500 viewers 2,400 kept up");
  }

  @Test
  void a_climb_where_all_kept_up_has_not_found_its_bound() {
    climb.add(step(1000, 1000, 40, 20, 35));
    assertThat(climb.bound())
        .startsWith("What bounds it: not reached")
        .contains("up to 1,000", "the node took 40% of a core, this tool's viewers 20%");
  }

  @Test
  void a_busy_machine_is_named_as_what_bounds_it() {
    climb.add(step(5000, 4900, 120, 60, 95));
    assertThat(climb.bound())
        .contains("at 5,000 viewers 4,900 kept up (100 missed ticks")
        .contains("the machine was busy");
  }

  @Test
  void saturated_viewer_threads_are_the_tools_limit_not_the_nodes() {
    climb.add(step(5000, 4900, 20, 185, 99));
    assertThat(climb.bound()).contains("this tool's viewer threads were saturated");
  }

  @Test
  void a_node_behind_with_the_machine_idle_is_its_own_limit() {
    climb.add(step(5000, 4900, 60, 20, 45));
    assertThat(climb.bound()).contains("the machine was not busy");
  }
}
