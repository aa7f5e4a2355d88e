package io.tickshard.streams.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.apache.pekko.actor.Address;
import org.junit.jupiter.api.Test;

/**
 * What counts as a gone member: a cluster port nobody listens on (refused), not one that accepts;
 * and only a node on the larger side may down it itself.
 */
class GoneMembersTest {
  private static final Duration TIMEOUT = Duration.ofMillis(500);

  private static Address at(int port) {
    return new Address("pekko", "tickshard", "127.0.0.1", port);
  }

  @Test
  void a_port_with_a_listener_is_not_refused_and_one_without_is() throws Exception {
    int port;
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = listener.getLocalPort();
      assertThat(GoneMembers.refuses(at(port), TIMEOUT)).as("a process listens").isFalse();
    }
    assertThat(GoneMembers.refuses(at(port), TIMEOUT)).as("nothing listens any more").isTrue();
  }

  @Test
  void an_address_without_host_and_port_is_never_refused() {
    assertThat(GoneMembers.refuses(new Address("pekko", "tickshard"), TIMEOUT)).isFalse();
  }

  @Test
  void only_the_larger_side_downs_the_gone_members_itself() {
    assertThat(GoneMembers.largerSide(3, 1)).isTrue();
    assertThat(GoneMembers.largerSide(5, 2)).isTrue();
    assertThat(GoneMembers.largerSide(3, 2))
        .as("one of three left: the resolver decides")
        .isFalse();
    assertThat(GoneMembers.largerSide(2, 1)).as("a half is not a majority").isFalse();
    assertThat(GoneMembers.largerSide(4, 2)).isFalse();
  }
}
