package io.tickshard.streams.registry;

import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamState;
import io.tickshard.streams.StreamStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The health check's judgement: which streams went quiet for too long and must have their
 * connection restarted, and the one line that sums the cluster up. The registry acts on it; this
 * only judges, so that it can be tried without a cluster or a clock.
 */
final class HealthCheck {

  /**
   * A stream as the registry knows it.
   *
   * @param since when the registry first heard from the entity that runs it now
   */
  record Observed(StreamStatus status, Instant since) {}

  /**
   * A stream to restart.
   *
   * @param quietSince its last heartbeat, or when the registry first heard from it if it has none
   */
  record Stale(StreamKey key, Instant quietSince) {
    /** What the stream is told, and logs, when its connection is restarted. */
    String reason() {
      return "health check: no heartbeat since " + quietSince;
    }
  }

  /**
   * @param stale the streams to restart, in the order they were given
   * @param streams streams not lost, over every node
   * @param perNode streams not lost, per node, in node order
   */
  record Result(List<Stale> stale, int streams, Map<String, Integer> perNode, String summary) {
    Result {
      stale = List.copyOf(stale);
    }

    List<String> staleKeys() {
      return stale.stream().map(s -> s.key().value()).toList();
    }
  }

  private final Duration staleAfter;

  /**
   * @param staleAfter a stream quiet for longer than this is stale
   */
  HealthCheck(Duration staleAfter) {
    this.staleAfter = staleAfter;
  }

  Result judge(Collection<Observed> observed, SlotHolding budget, Instant now) {
    List<Stale> stale = new ArrayList<>();
    for (Observed stream : observed) {
      StreamStatus status = stream.status();
      // A reconnecting stream is already on its way back (perhaps in a long cool-off after
      // 805): restarting it would only cut its backoff short.
      if (!status.state().expectsHeartbeat()) {
        continue;
      }
      if (!budget.holds(status.key())) {
        continue; // waiting for a slot: it has no socket to restart
      }
      // Not startedAt: a stream that just moved to another node started long ago, and would be
      // restarted before its first heartbeat there.
      Instant alive = status.heartbeatAt() != null ? status.heartbeatAt() : stream.since();
      if (alive != null && Duration.between(alive, now).compareTo(staleAfter) > 0) {
        stale.add(new Stale(status.key(), alive));
      }
    }
    Map<String, Integer> perNode = perNode(observed.stream().map(Observed::status).toList());
    int streams = total(perNode);
    return new Result(stale, streams, perNode, summary(streams, perNode, stale.size(), budget));
  }

  /**
   * Streams per node, in node order. Lost ones are left out: they run nowhere until they report
   * from their new node.
   */
  static Map<String, Integer> perNode(Collection<StreamStatus> statuses) {
    Map<String, Integer> perNode = new TreeMap<>();
    for (StreamStatus status : statuses) {
      if (status.state() != StreamState.LOST) {
        perNode.merge(status.node(), 1, Integer::sum);
      }
    }
    return perNode;
  }

  static int total(Map<String, Integer> perNode) {
    return perNode.values().stream().mapToInt(Integer::intValue).sum();
  }

  private static String summary(
      int streams, Map<String, Integer> perNode, int restarted, SlotHolding budget) {
    return "health: "
        + streams
        + " streams on "
        + perNode.size()
        + " nodes ("
        + perNode.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(", "))
        + "), "
        + restarted
        + " stale restarted, budget "
        + budget.used()
        + "/"
        + budget.limit();
  }
}
