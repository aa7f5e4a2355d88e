package io.tickshard.api;

import io.tickshard.streams.broker.Broker;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /api/v1/broker} (the credentials' source, expiry and last refusal on this node) and
 * {@code PUT /api/v1/broker/credentials} (new credentials for every node; needs the API token, and
 * is refused when none is configured).
 */
final class BrokerRoutes extends AllDirectives {
  private final StreamControl control;
  private final BearerToken token;

  BrokerRoutes(StreamControl control, BearerToken token) {
    this.control = control;
    this.token = token;
  }

  Route routes() {
    return pathPrefix(
        PathMatchers.segment("api").slash("v1").slash("broker"),
        () ->
            concat(
                pathEnd(() -> get(this::status)),
                path("credentials", () -> put(this::guardedPut))));
  }

  private Broker broker() {
    return Broker.get(control.system());
  }

  private Route status() {
    return complete(ApiJson.response(StatusCodes.OK, BrokerResponse.of(broker().status())));
  }

  private Route guardedPut() {
    if (control.settings().apiToken().isEmpty()) {
      return complete(Problem.credentialsNeedApiToken().toResponse());
    }
    return token.required(() -> JsonBody.required(this::put));
  }

  private Route put(String body) {
    BrokerRequest request = BrokerRequest.parse(body);
    return Answers.complete(
        broker()
            .put(request.clientId(), request.accessToken())
            .thenApply(
                replicated ->
                    ApiJson.response(
                        StatusCodes.OK,
                        BrokerResponse.of(broker().status())
                            .replicated(replicated.reachedEveryNode()))));
  }
}
