package io.tickshard.api;

import io.tickshard.streams.NodeName;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code GET /api/v1/cluster} (members and streams per node) and {@code GET /api/v1/health}. */
final class ClusterRoutes extends AllDirectives {
  private final StreamControl control;

  ClusterRoutes(StreamControl control) {
    this.control = control;
  }

  Route routes() {
    return concat(
        path(PathMatchers.segment("api").slash("v1").slash("cluster"), () -> get(this::cluster)),
        path(PathMatchers.segment("api").slash("v1").slash("health"), () -> get(this::health)));
  }

  private Route cluster() {
    Cluster cluster = Cluster.get(control.system());
    ClusterEvent.CurrentClusterState state = cluster.state();
    List<Map<String, Object>> members = new ArrayList<>();
    for (Member member : state.getMembers()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("node", NodeName.of(member.address()));
      m.put("status", member.status().toString());
      m.put("roles", member.getRoles());
      m.put("reachable", !state.getUnreachable().contains(member));
      members.add(m);
    }
    return Answers.complete(
        control
            .listing()
            .thenApply(
                listing -> {
                  Map<String, Object> body = new LinkedHashMap<>();
                  body.put("self", NodeName.of(control.system()));
                  body.put(
                      "leader", state.getLeader() == null ? null : NodeName.of(state.getLeader()));
                  body.put("members", members);
                  body.put("streamsPerNode", listing.perNode());
                  body.put("streams", listing.total());
                  body.put("complete", listing.complete());
                  return ApiJson.response(StatusCodes.OK, body);
                }));
  }

  private Route health() {
    Cluster cluster = Cluster.get(control.system());
    ClusterEvent.CurrentClusterState state = cluster.state();
    long unreachable = StreamSupport.stream(state.getUnreachable().spliterator(), false).count();
    return Answers.complete(
        control
            .listing()
            .thenApply(
                listing -> {
                  long failed =
                      listing.streams().stream()
                          .filter(s -> "failed".equals(s.status()) || "lost".equals(s.status()))
                          .count();
                  Map<String, Object> body = new LinkedHashMap<>();
                  body.put("status", unreachable == 0 && failed == 0 ? "ok" : "degraded");
                  body.put("checkedAt", Instant.now());
                  body.put("node", NodeName.of(control.system()));
                  body.put(
                      "members",
                      StreamSupport.stream(state.getMembers().spliterator(), false).count());
                  body.put("unreachable", unreachable);
                  body.put("streams", listing.total());
                  body.put("streamsPerNode", listing.perNode());
                  body.put("failedOrLost", failed);
                  body.put("complete", listing.complete());
                  return ApiJson.response(StatusCodes.OK, body);
                }));
  }
}
