package io.tickshard.bench.scenario;

import java.util.Map;

/** The -D settings every node of a measured cluster gets. */
final class NodeSettings {
  private NodeSettings() {}

  /**
   * As the cluster proofs and bin/cluster run a cluster on one machine (short failure detection and
   * SBR window), with no scheduled health-check restarts in the middle of a measurement.
   */
  static final Map<String, String> LOCAL_CLUSTER =
      Map.of(
          "pekko.cluster.split-brain-resolver.stable-after", "2s",
          "pekko.cluster.failure-detector.acceptable-heartbeat-pause", "2s",
          "tickshard.health.schedule", "off");
}
