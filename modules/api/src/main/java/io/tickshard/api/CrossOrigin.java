package io.tickshard.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * CORS for the pages of the origins listed in {@code tickshard.api.allowed-origins}
 * (TICKSHARD_API_ALLOWED_ORIGINS), such as the screener application on its own origin. Their pages
 * may read everything (GET and HEAD: status, listings, ticks over SSE, snapshots with their ETag,
 * instruments, upstream, health); the calls that change streams are granted to them only when an
 * API token is set, which they then send ({@code Authorization: Bearer}). Never {@code *}: the
 * answer names the one origin that asked, and {@code Vary: Origin} keeps caches from mixing them. A
 * preflight from an unlisted origin, or for a change with no token set, is refused with a problem;
 * other requests from unlisted origins get no CORS headers, so their pages cannot read the answers.
 * The CSRF check ({@link BrowserOrigin}) stands as it is, beside this.
 */
final class CrossOrigin {
  private static final Set<String> READS = Set.of("GET", "HEAD");
  private static final Set<String> CHANGES = Set.of("POST", "PUT", "DELETE", "PATCH");

  /** The request headers a page may send: the token, JSON, a conditional poll, an SSE resume. */
  private static final String ALLOWED_HEADERS =
      "Authorization, Content-Type, If-None-Match, Last-Event-ID";

  /** The answer headers a page may read beyond the safelisted ones. */
  private static final String EXPOSED_HEADERS = "ETag, Location, Retry-After";

  private static final String MAX_AGE_SECONDS = "600";

  private final Set<String> allowed;
  private final boolean tokenSet;

  CrossOrigin(ApiSettings settings) {
    this.allowed = settings.allowedOrigins();
    this.tokenSet = settings.apiToken().isPresent();
  }

  Route around(Supplier<Route> inner) {
    if (allowed.isEmpty()) {
      return inner.get();
    }
    return Directives.extractRequest(
        request -> {
          Optional<String> origin = header(request, "Origin");
          if (origin.isEmpty()) {
            return Directives.respondWithHeader(RawHeader.create("Vary", "Origin"), inner);
          }
          Optional<String> preflightMethod = header(request, "Access-Control-Request-Method");
          if (request.method().name().equals("OPTIONS") && preflightMethod.isPresent()) {
            return Directives.complete(preflight(origin.get(), preflightMethod.get()));
          }
          if (!listed(origin.get()) || (CHANGES.contains(request.method().name()) && !tokenSet)) {
            return Directives.respondWithHeader(RawHeader.create("Vary", "Origin"), inner);
          }
          return Directives.respondWithHeaders(
              List.of(
                  RawHeader.create("Access-Control-Allow-Origin", origin.get().trim()),
                  RawHeader.create("Access-Control-Expose-Headers", EXPOSED_HEADERS),
                  RawHeader.create("Vary", "Origin")),
              inner);
        });
  }

  private HttpResponse preflight(String origin, String method) {
    String asked = method.trim().toUpperCase(Locale.ROOT);
    if (!listed(origin)) {
      return Problem.crossOrigin(
              "the page on "
                  + origin
                  + " may not call this server: its origin is not in"
                  + " TICKSHARD_API_ALLOWED_ORIGINS")
          .toResponse()
          .addHeader(RawHeader.create("Vary", "Origin"));
    }
    if (CHANGES.contains(asked) && !tokenSet) {
      return Problem.crossOrigin(
              "a page on another origin may change streams only with the API token, and"
                  + " TICKSHARD_API_TOKEN is not set on this server; it may read")
          .toResponse()
          .addHeader(RawHeader.create("Vary", "Origin"));
    }
    if (!READS.contains(asked) && !CHANGES.contains(asked)) {
      return Problem.methodNotAllowed("allowed across origins: " + methods())
          .toResponse()
          .addHeader(RawHeader.create("Vary", "Origin"));
    }
    List<HttpHeader> headers = new ArrayList<>();
    headers.add(RawHeader.create("Access-Control-Allow-Origin", origin.trim()));
    headers.add(RawHeader.create("Access-Control-Allow-Methods", methods()));
    headers.add(RawHeader.create("Access-Control-Allow-Headers", ALLOWED_HEADERS));
    headers.add(RawHeader.create("Access-Control-Max-Age", MAX_AGE_SECONDS));
    headers.add(RawHeader.create("Vary", "Origin"));
    return HttpResponse.create().withStatus(StatusCodes.NO_CONTENT).addHeaders(headers);
  }

  private String methods() {
    return tokenSet ? "GET, HEAD, POST, PUT, DELETE, PATCH" : "GET, HEAD";
  }

  private boolean listed(String origin) {
    return BrowserOrigin.normalised(origin).map(allowed::contains).orElse(false);
  }

  private static Optional<String> header(HttpRequest request, String name) {
    return request.getHeader(name).map(HttpHeader::value);
  }
}
