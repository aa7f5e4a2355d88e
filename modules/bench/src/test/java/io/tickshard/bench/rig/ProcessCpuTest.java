package io.tickshard.bench.rig;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessCpuTest {
  @Test
  void user_and_system_ticks_are_read_after_a_command_with_spaces_and_parentheses() {
    String stat =
        "4242 (java (node 1)) S 1 4242 4242 0 -1 4194560 81234 0 12 0 1234 566 0 0 20 0 57 0 "
            + "1000 5000000 30000 18446744073709551615";
    assertThat(ProcessCpu.parse(stat)).isEqualTo(18.0);
  }

  @Test
  void this_process_has_spent_some_cpu() {
    double spent = ProcessCpu.seconds(ProcessHandle.current().pid());
    assertThat(spent).isPositive();
  }
}
