package io.tickshard.api;

import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /api/v1/upstream}: the cluster's broker sockets as the stream registry sees them, how
 * full each is and which modes it carries. A read: no token needed.
 */
final class UpstreamRoutes extends AllDirectives {
  private final StreamControl control;

  UpstreamRoutes(StreamControl control) {
    this.control = control;
  }

  Route routes() {
    return path(
        PathMatchers.segment("api").slash("v1").slash("upstream"), () -> get(this::upstream));
  }

  private Route upstream() {
    return Answers.complete(
        control
            .upstream()
            .thenApply(
                upstream -> ApiJson.response(StatusCodes.OK, UpstreamResponse.of(upstream))));
  }
}
