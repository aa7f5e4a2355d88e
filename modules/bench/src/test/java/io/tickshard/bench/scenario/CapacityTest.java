package io.tickshard.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CapacityTest {
  @Test
  void a_climb_is_the_listed_counts_below_the_last_then_the_last() {
    Capacity capacity = new Capacity();
    capacity.steps = List.of(5000, 1000, 12500, 2500, 1000);
    capacity.maxViewers = 7000;
    assertThat(capacity.counts()).containsExactly(1000, 2500, 5000, 7000);
  }
}
