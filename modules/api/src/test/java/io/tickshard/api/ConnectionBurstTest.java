package io.tickshard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tickshard.api.HeldConnections.Held;
import io.tickshard.api.testkit.ApiPaths;
import io.tickshard.api.testkit.ApiServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Market open: a thousand pages call the node at the same moment, each on a connection of its own.
 * With pekko-http's default listen backlog (100) the kernel dropped handshakes past it, and those
 * clients waited for their 1 s retransmit (or, with the JDK's client, saw resets); the node's
 * backlog ({@code tickshard.http.backlog}) takes them all, so each is answered without that wait.
 */
class ConnectionBurstTest {
  private static final int PAGES = 1_000;

  private static ApiServer server;

  @BeforeAll
  static void start() {
    server = ApiServer.start(Map.of());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void a_thousand_connections_opened_at_once_are_each_answered() {
    // Both ends of every connection are in this JVM: two files per connection.
    long needed = 2L * PAGES + 2_048;
    assumeTrue(
        ConnectionLimits.processFileLimit().orElse(Long.MAX_VALUE) >= needed,
        "ulimit -n is below the " + needed + " files this test holds open");
    assumeTrue(
        ConnectionLimits.kernelBacklogCap().orElse(Integer.MAX_VALUE) >= PAGES,
        "net.core.somaxconn caps the backlog below " + PAGES);
    try (HeldConnections pages = new HeldConnections(server.base)) {
      List<Held> answered =
          pages.open(PAGES, HeldConnections.get(ApiPaths.STREAMS), PAGES, Duration.ofSeconds(60));
      // -1: the connection was reset or closed before any answer.
      Map<Integer, Long> byStatus =
          answered.stream()
              .collect(Collectors.groupingBy(Held::status, TreeMap::new, Collectors.counting()));
      assertThat(byStatus).containsExactly(Map.entry(200, (long) PAGES));
      Duration slowest =
          answered.stream().map(Held::handshake).max(Duration::compareTo).orElseThrow();
      System.out.printf(
          "%d connections at once: slowest handshake %d ms%n", PAGES, slowest.toMillis());
      assertThat(answered)
          .as("connections whose handshake the kernel dropped (resent after 1 s)")
          .extracting(Held::handshake)
          .allMatch(handshake -> handshake.compareTo(Duration.ofSeconds(1)) < 0);
    }
  }
}
