package io.tickshard.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunTableTest {
  private static Figures run(double p99, double ratio) {
    return new Figures().put("p99 ms", p99).put("ratio", ratio);
  }

  @Test
  void a_row_per_figure_a_column_per_run_then_median_and_max() {
    String table =
        RunTable.markdown(
            List.of(run(12, 0.9), run(30, 0.5), run(11, 0.8), run(14, 0.75), run(2_500, 0.95)),
            List.of(new Goal("ratio >= 0.7", f -> f.get("ratio") >= 0.7)));
    assertThat(table)
        .contains("| figure | run 1 | run 2 | run 3 | run 4 | run 5 | median | max |")
        .contains("| p99 ms | 12.0 | 30.0 | 11.0 | 14.0 | 2,500 | 14.0 | 2,500 |")
        .contains("| ratio | 0.90 | 0.50 | 0.80 | 0.75 | 0.95 | 0.80 | 0.95 |")
        .contains("goal: ratio >= 0.7: met in 4 of 5 runs; on the medians: met");
  }

  @Test
  void the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
    assertThat(RunTable.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    assertThat(RunTable.medians(List.of(run(1, 0), run(3, 1))).get("p99 ms")).isEqualTo(2);
  }

  @Test
  void the_steps_of_a_climb_are_columns_of_their_own_without_median_or_max() {
    String table =
        RunTable.columns(
            List.of("1,000 viewers", "2,500 viewers"),
            List.of(run(12, 0.9), new Figures().put("p99 ms", 30)));
    assertThat(table)
        .isEqualTo(
            "| figure | 1,000 viewers | 2,500 viewers |\n"
                + "|---|---:|---:|\n"
                + "| p99 ms | 12.0 | 30.0 |\n"
                + "| ratio | 0.90 | – |\n");
  }

  @Test
  void a_goal_on_a_figure_a_run_lacks_is_not_met() {
    String table =
        RunTable.markdown(List.of(run(1, 1)), List.of(new Goal("needs x", f -> f.get("x") > 0)));
    assertThat(table).contains("on the medians: NOT met");
  }
}
