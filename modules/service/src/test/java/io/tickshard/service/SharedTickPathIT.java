package io.tickshard.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickshard.service.rig.Cluster;
import io.tickshard.service.rig.NodeProcess;
import io.tickshard.service.rig.NumberedTicks;
import io.tickshard.service.rig.ScreenerKey;
import io.tickshard.service.rig.SharedCluster;
import io.tickshard.service.rig.StreamsApi;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The tick path at the limit a key may have: one key of 5,000 instruments in quote mode, its ticks
 * numbered per instrument by the simulator (SharedCluster), watched on every node of three JVMs.
 * Its bursts (a tenth of the key every 100 ms) are larger than any fixed per-viewer buffer would
 * be; a viewer that keeps up still gets every tick, in order, on the socket's node and elsewhere.
 */
@ExtendWith(SharedCluster.class)
class SharedTickPathIT {
  private static final int INSTRUMENTS = 5_000;
  private static final int BASE = 300_000;
  private static final int ROUNDS = 10;

  private static Cluster cluster;

  @BeforeAll
  static void given(Cluster shared) {
    cluster = shared;
  }

  @Test
  void viewers_of_a_5000_instrument_key_on_every_node_miss_no_tick() throws Exception {
    ScreenerKey key =
        new ScreenerKey(
            "tick-path", IntStream.range(BASE, BASE + INSTRUMENTS).boxed().toList(), "quote");
    HttpResponse<String> started = StreamsApi.start(cluster.node(0), key.startBody());
    assertThat(started.statusCode()).as(started.body()).isIn(200, 201);
    String id = StreamsApi.parse(started.body()).path("id").asText();

    List<NumberedTicks> viewers = new ArrayList<>();
    for (NodeProcess node : cluster.nodes()) {
      viewers.add(new NumberedTicks(node, id));
    }
    try {
      // Ticking on every node: every instrument seen (the JVMs warmed up, the viewers caught up),
      // then watched for ten rounds of the key.
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(viewers)
                      .allSatisfy(
                          viewer -> assertThat(viewer.instruments()).isEqualTo(INSTRUMENTS)));
      viewers.forEach(NumberedTicks::mark);
      long seenBefore = viewers.stream().mapToLong(NumberedTicks::ticks).min().orElseThrow();
      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () ->
                  viewers.stream().mapToLong(NumberedTicks::ticks).min().orElseThrow()
                      >= seenBefore + ROUNDS * INSTRUMENTS);

      for (NumberedTicks viewer : viewers) {
        assertThat(viewer.skipped())
            .as(
                "%s: ticks missed, first at %s; its node's viewers fell behind: %s",
                viewer, viewer.gaps(), behind(viewer.node()))
            .isZero();
      }
    } finally {
      viewers.forEach(NumberedTicks::close);
      StreamsApi.stop(cluster.node(0), id);
    }
  }

  /** How often a viewer on {@code node} fell behind (docs/operations.md, metrics). */
  private static String behind(NodeProcess node) throws Exception {
    return StreamsApi.get(node.management() + "/metrics")
        .body()
        .lines()
        .filter(line -> line.startsWith("tickshard_sse_viewers_behind_total"))
        .findFirst()
        .orElse("(not exported)");
  }
}
