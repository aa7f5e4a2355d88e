package io.tickshard.api;

import io.tickshard.streams.NodeName;
import io.tickshard.streams.broker.Broker;
import io.tickshard.streams.broker.BrokerStatus;
import io.tickshard.streams.journal.JournalMonitor;
import io.tickshard.streams.outputs.OutputHealth;
import io.tickshard.streams.outputs.TickOutput;
import io.tickshard.streams.outputs.TickOutputs;
import io.tickshard.streams.registry.HealthReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.stream.StreamSupport;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /api/v1/cluster} (members and streams per node), {@code GET /api/v1/health} and {@code
 * POST /api/v1/health/check} (a round run now).
 */
final class ClusterRoutes extends AllDirectives {
  private final StreamControl control;
  private final BearerToken token;

  ClusterRoutes(StreamControl control, BearerToken token) {
    this.control = control;
    this.token = token;
  }

  Route routes() {
    return concat(
        path(PathMatchers.segment("api").slash("v1").slash("cluster"), () -> get(this::cluster)),
        path(
            PathMatchers.segment("api").slash("v1").slash("health"),
            () -> get(() -> health(control.health()))),
        path(
            PathMatchers.segment("api").slash("v1").slash("health").slash("check"),
            () -> post(() -> token.required(() -> health(control.checkHealthNow())))));
  }

  private Route cluster() {
    Cluster cluster = Cluster.get(control.system());
    ClusterEvent.CurrentClusterState state = cluster.state();
    List<Map<String, Object>> members = new ArrayList<>();
    Member oldest = null;
    for (Member member : state.getMembers()) {
      boolean serving =
          member.status() == MemberStatus.up() || member.status() == MemberStatus.leaving();
      if (serving && (oldest == null || member.isOlderThan(oldest))) {
        oldest = member;
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("node", NodeName.of(member.address()));
      m.put("status", member.status().toString());
      m.put("roles", member.getRoles());
      m.put("reachable", !state.getUnreachable().contains(member));
      members.add(m);
    }
    String oldestNode = oldest == null ? null : NodeName.of(oldest.address());
    return Answers.complete(
        control
            .listing()
            .thenApply(
                listing -> {
                  Map<String, Object> body = new LinkedHashMap<>();
                  body.put("self", NodeName.of(control.system()));
                  body.put(
                      "leader", state.getLeader() == null ? null : NodeName.of(state.getLeader()));
                  // Cluster singletons (the stream registry, the shard coordinator) run on the
                  // oldest member: a node to leave last when the cluster is rolled.
                  body.put("oldest", oldestNode);
                  body.put("members", members);
                  body.put("streamsPerNode", listing.perNode());
                  body.put("streams", listing.total());
                  body.put("complete", listing.complete());
                  return ApiJson.response(StatusCodes.OK, body);
                }));
  }

  /**
   * This node's Redis outputs ({@code off} when not configured). Reported, never degrading: Redis
   * is a side output, and the feed and the viewers do not depend on it.
   */
  private Map<String, Object> redis() {
    Map<String, Object> redis = new LinkedHashMap<>();
    Optional<OutputHealth> health =
        TickOutputs.get(control.system()).named("redis").map(TickOutput::health);
    redis.put("state", health.map(h -> h.state().wireName()).orElse("off"));
    redis.put("since", health.map(OutputHealth::since).orElse(null));
    redis.put("dropped", health.map(OutputHealth::dropped).orElse(0L));
    return redis;
  }

  /**
   * The latest health check's report (run by the registry on its schedule), with this node's view
   * of the cluster; {@code degraded} when a member is unreachable, a stream is failed, lost or
   * waiting for credentials, the journal is down, or the broker token expires soon or was refused.
   */
  private Route health(CompletionStage<HealthReport> round) {
    ClusterEvent.CurrentClusterState state = Cluster.get(control.system()).state();
    long unreachable = StreamSupport.stream(state.getUnreachable().spliterator(), false).count();
    long members = StreamSupport.stream(state.getMembers().spliterator(), false).count();
    return Answers.complete(
        round.thenCombine(
            control.listing(),
            (report, listing) -> {
              long failedOrLost =
                  listing.streams().stream().filter(s -> s.state().troubled()).count();
              JournalMonitor.Reading journal = control.journal();
              BrokerStatus broker = Broker.get(control.system()).status();
              boolean ok =
                  unreachable == 0
                      && failedOrLost == 0
                      && journal.up()
                      && broker.state() == BrokerStatus.State.OK;
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("status", ok ? "ok" : "degraded");
              // As this node sees it; starts and stops answer 503 while it is down.
              body.put("journal", journal.up() ? "up" : "down");
              body.put("journalSince", journal.since());
              // Degraded from expiry-warning before the token's exp, and while refused.
              Map<String, Object> credentials = new LinkedHashMap<>();
              credentials.put("state", broker.state().wireName());
              credentials.put("tokenSource", broker.tokenSource().wireName());
              credentials.put("tokenExpiresAt", broker.tokenExpiresAt());
              body.put("broker", credentials);
              body.put("redis", redis());
              body.put("node", NodeName.of(control.system()));
              body.put("members", members);
              body.put("unreachable", unreachable);
              body.put("failedOrLost", failedOrLost);
              body.put("lastRunAt", report.ranAt());
              body.put("nextRunAt", report.nextRunAt());
              body.put("summary", report.summary());
              body.put("streams", report.streams());
              body.put("streamsPerNode", report.perNode());
              body.put("staleRestarted", report.staleRestarted());
              body.put("budget", Map.of("used", report.budgetUsed(), "max", report.budget()));
              body.put("complete", report.complete());
              return ApiJson.response(StatusCodes.OK, body);
            }));
  }
}
