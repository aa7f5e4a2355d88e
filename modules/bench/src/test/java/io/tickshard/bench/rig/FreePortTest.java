package io.tickshard.bench.rig;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FreePortTest {
  @Test
  void ports_come_from_below_the_ephemeral_range_and_never_twice() throws Exception {
    int ephemeralLow =
        Integer.parseInt(
            Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                .get(0)
                .trim()
                .split("\\s+")[0]);
    int first = FreePort.next();
    int second = FreePort.next();
    assertThat(first).isBetween(10_000, ephemeralLow - 1);
    assertThat(second).isBetween(10_000, ephemeralLow - 1).isNotEqualTo(first);
  }
}
