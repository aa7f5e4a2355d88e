package io.tickshard.bench.baseline;

import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The control-plane baseline: any GET or POST answers the same JSON, the size and shape of a
 * stream's status answer, with nothing behind it: what pekko-http itself costs per request. {@code
 * GET /listing} answers a listing recorded from the node, when one is given: what pekko-http costs
 * to send an answer of that size.
 */
final class BaselineConstant extends AllDirectives {
  private final String listing;

  BaselineConstant(String listing) {
    this.listing = listing;
  }

  static final String BODY =
      "{\"key\":\"type:bench|ids:1,2,3,4,5,6,7,8,9,10\",\"id\":\"abcdefghijkl\",\"status\":\"running\","
          + "\"node\":\"127.0.0.1:25520\",\"pid\":23441,\"startedAt\":\"2026-11-29T09:12:13.367325537Z\","
          + "\"heartbeatAt\":\"2026-11-29T09:12:16.672290358Z\",\"lastTickAt\":\"2026-11-29T09:12:16.780876531Z\","
          + "\"ticks\":335,\"instruments\":10,\"mode\":\"quote\",\"reconnects\":0,\"lastError\":null,"
          + "\"stoppedAt\":null,\"stopReason\":null,\"sockets\":[\"slot-0\"]}";

  Route route() {
    HttpResponse answer =
        HttpResponse.create().withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, BODY));
    HttpResponse listed =
        listing == null
            ? answer
            : HttpResponse.create()
                .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, listing));
    return concat(
        path("listing", () -> complete(listed)), extractRequest(request -> complete(answer)));
  }
}
