package io.tickshard.bench.rig;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LoopbackTcpTest {
  @Test
  void listen_overflows_are_read_from_the_tcp_ext_pair_of_lines() {
    List<String> netstat =
        List.of(
            "TcpExt: SyncookiesSent SyncookiesRecv ListenOverflows ListenDrops",
            "TcpExt: 0 0 37 38",
            "IpExt: InNoRoutes InTruncatedPkts",
            "IpExt: 0 0");
    assertThat(LoopbackTcp.counter(netstat, "TcpExt:", "ListenOverflows")).isEqualTo(37);
  }

  @Test
  void connections_count_the_established_client_ends_toward_the_ports() {
    // 0x1F90 = 8080; 0x1F91 = 8081. States: 01 established, 06 time-wait, 0A listen.
    List<String> tcp6 =
        List.of(
            "  sl  local_address                         remote_address                        st",
            "   0: 0000000000000000FFFF00000100007F:9DFA 0000000000000000FFFF00000100007F:1F90 01 0",
            "   1: 0000000000000000FFFF00000100007F:9DFB 0000000000000000FFFF00000100007F:1F90 06 0",
            "   2: 0000000000000000FFFF00000100007F:1F90 0000000000000000FFFF00000100007F:9DFA 01 0",
            "   3: 0000000000000000FFFF00000100007F:1F90 00000000000000000000000000000000:0000 0A 0",
            "   4: 0000000000000000FFFF00000100007F:9E00 0000000000000000FFFF00000100007F:1F91 01 0");
    assertThat(LoopbackTcp.connectionsTo(tcp6, Set.of(8080))).isEqualTo(1);
    assertThat(LoopbackTcp.connectionsTo(tcp6, Set.of(8080, 8081))).isEqualTo(2);
  }
}
