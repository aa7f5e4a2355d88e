package io.tickshard.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code GET /api/v1/instruments?q=&limit=}: the instrument list searched by symbol or name. */
final class InstrumentRoutes extends AllDirectives {
  static final int DEFAULT_LIMIT = 20;
  static final int MAX_LIMIT = 100;

  private final InstrumentNames names;

  InstrumentRoutes(InstrumentNames names) {
    this.names = names;
  }

  Route routes() {
    return path(
        PathMatchers.segment("api").slash("v1").slash("instruments"),
        () ->
            get(
                () ->
                    parameterOptional(
                        "q",
                        query ->
                            parameterOptional("limit", limit -> complete(search(query, limit))))));
  }

  private HttpResponse search(Optional<String> query, Optional<String> limitText) {
    String q = query.map(String::trim).orElse("");
    if (q.isEmpty()) {
      throw Problem.badRequest("q is required: part of a symbol or name, e.g. ?q=REL");
    }
    if (q.length() > 64) {
      throw Problem.badRequest("q is at most 64 characters");
    }
    int limit = limitText.map(InstrumentRoutes::limit).orElse(DEFAULT_LIMIT);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("instruments", names.search(q, limit).stream().map(InstrumentResponse::of).toList());
    body.put("total", names.catalog().size());
    body.put("source", names.catalog().source());
    return ApiJson.response(StatusCodes.OK, body);
  }

  private static int limit(String text) {
    try {
      int limit = Integer.parseInt(text.trim());
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException notANumber) {
      // the answer below
    }
    throw Problem.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT);
  }
}
