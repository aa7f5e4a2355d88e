package io.tickshard.api;

import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * The bodies the REST calls take: JSON only, since a {@code text/plain} or form body is what a page
 * on another site can send without a preflight.
 */
final class JsonBody {
  private JsonBody() {}

  /** The request body as text, when it is JSON; a problem when it is missing or not JSON. */
  static Route required(Function<String, Route> inner) {
    return Directives.extractRequestEntity(
        entity -> {
          if (entity.isKnownEmpty()) {
            throw Problem.badRequest("a JSON body is required");
          }
          if (!entity.getContentType().mediaType().equals(MediaTypes.APPLICATION_JSON)) {
            throw Problem.unsupportedMediaType(
                "send the body as application/json, not " + entity.getContentType().mediaType());
          }
          return Directives.entity(Unmarshaller.entityToString(), inner);
        });
  }

  /** No body, or one declared as JSON (and ignored). */
  static Route noneOrJson(Supplier<Route> inner) {
    return Directives.extractRequestEntity(
        entity -> {
          if (!entity.isKnownEmpty()
              && !entity.getContentType().mediaType().equals(MediaTypes.APPLICATION_JSON)) {
            throw Problem.unsupportedMediaType(
                "send no body, or an application/json one, not "
                    + entity.getContentType().mediaType());
          }
          return inner.get();
        });
  }
}
