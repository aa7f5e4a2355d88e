package io.tickshard.bench.rig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcessHeapTest {
  @Test
  void g1_reports_the_whole_heap_in_one_line() {
    String info =
        """
        4033:
        Command executed successfully
         garbage-first heap   total 17408K, used 2875K [0x00000000f0000000, 0x0000000100000000)
          region size 1024K, 0 young (0K), 0 survivors (0K)
         Metaspace       used 8956K, committed 9152K, reserved 1114112K
          class space    used 1062K, committed 1152K, reserved 1048576K
        """;
    assertThat(ProcessHeap.parse(info)).isEqualTo(2875L * 1024);
  }

  @Test
  void the_serial_and_parallel_collectors_report_two_generations() {
    String serial =
        """
         def new generation   total 78656K, used 10K [0x00000000f0000000, 0x00000000f5550000)
          eden space 69952K,   0% used [0x00000000f0000000, 0x00000000f0000000)
         tenured generation   total 174784K, used 2244K [0x00000000f5550000, 0x0000000100000000)
           the space 174784K,   1% used [0x00000000f5550000, 0x00000000f57813d0)
         Metaspace       used 8980K, committed 9152K, reserved 1114112K
        """;
    String parallel =
        """
         PSYoungGen      total 76288K, used 0K [0x00000000fab00000, 0x0000000100000000)
          eden space 65536K, 0% used [0x00000000fab00000,0x00000000fab00000,0x00000000feb00000)
         ParOldGen       total 175104K, used 2242K [0x00000000f0000000, 0x00000000fab00000)
         Metaspace       used 8943K, committed 9088K, reserved 1114112K
        """;
    assertThat(ProcessHeap.parse(serial)).isEqualTo(2254L * 1024);
    assertThat(ProcessHeap.parse(parallel)).isEqualTo(2242L * 1024);
  }

  @Test
  void an_answer_without_heap_figures_is_said_plainly() {
    assertThatThrownBy(() -> ProcessHeap.parse("1234:\nZHeap used 10M, capacity 32M"))
        .hasMessageContaining("no heap figures");
  }

  @Test
  void a_running_jvm_is_read_by_its_pid() throws Exception {
    long used = ProcessHeap.usedAfterFullGc(ProcessHandle.current().pid());
    assertThat(used).isPositive().isLessThan(Runtime.getRuntime().maxMemory());
  }
}
