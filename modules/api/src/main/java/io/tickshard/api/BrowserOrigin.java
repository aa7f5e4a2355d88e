package io.tickshard.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.Host;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Keeps other sites' pages from changing streams when no API token is set. Without a token, a form
 * or a {@code text/plain} fetch on any page the user visits could start streams or stop them all:
 * such requests need no CORS preflight. A browser adds {@code Origin} (and, in current browsers,
 * {@code Sec-Fetch-Site}) to every POST, PUT, DELETE and PATCH, and a page can forge neither, so a
 * call that changes streams passes only when
 *
 * <ul>
 *   <li>it carries neither header (curl, scripts: not a browser), or
 *   <li>every {@code Origin} is this server's own (scheme, host and port of the request's {@code
 *       Host}) or listed in {@code tickshard.api.allowed-origins}, and {@code Sec-Fetch-Site}, when
 *       sent, is {@code same-origin} or {@code none}; a listed origin may be any site.
 * </ul>
 *
 * {@code Origin: null} (a sandboxed frame, a local file, a cross-site redirect) never passes.
 *
 * <p>With a token set the check is off: a browser sends {@code Authorization} cross-origin only
 * after a CORS preflight this server never grants, so the token already stops such requests, and a
 * proxy that rewrites {@code Host} or terminates TLS in front of a guarded node keeps working.
 */
final class BrowserOrigin {
  private static final Set<String> CHANGING = Set.of("POST", "PUT", "DELETE", "PATCH");

  /** Same-site is not enough: another subdomain or port is another application. */
  private static final Set<String> OWN_FETCH_SITES = Set.of("same-origin", "none");

  private static final String WHO_MAY =
      "with no TICKSHARD_API_TOKEN set, only this server's own pages (and clients that are not"
          + " browsers) may make it; other origins can be trusted in"
          + " TICKSHARD_API_ALLOWED_ORIGINS";

  private final boolean checked;
  private final Set<String> allowed;

  BrowserOrigin(ApiSettings settings) {
    this.checked = settings.apiToken().isEmpty();
    this.allowed = settings.allowedOrigins();
  }

  Route guard(Supplier<Route> inner) {
    if (!checked) {
      return inner.get();
    }
    return Directives.extractRequest(
        request ->
            refusal(request)
                .map(problem -> Directives.complete(problem.toResponse()))
                .orElseGet(inner));
  }

  /** Why this request may not run, or empty when it may. */
  Optional<Problem> refusal(HttpRequest request) {
    if (!checked || !CHANGING.contains(request.method().name())) {
      return Optional.empty();
    }
    List<String> origins = values(request, "origin");
    List<String> fetchSites = values(request, "sec-fetch-site");
    String own = own(request.getUri());
    boolean listed = !origins.isEmpty();
    for (String origin : origins) {
      if (origin.trim().equalsIgnoreCase("null")) {
        return Optional.of(
            Problem.crossOrigin(
                "this call changes streams and came from a page without an origin of its own"
                    + " (Origin: null: a sandboxed frame, a local file or a redirect); "
                    + WHO_MAY));
      }
      Optional<String> normalised = normalised(origin);
      if (normalised.isEmpty()
          || !(normalised.get().equals(own) || allowed.contains(normalised.get()))) {
        return Optional.of(
            Problem.crossOrigin(
                "this call changes streams and came from a page on "
                    + origin
                    + ", not from this server ("
                    + own
                    + "); "
                    + WHO_MAY));
      }
      listed &= allowed.contains(normalised.get());
    }
    for (String site : fetchSites) {
      if (!listed && !OWN_FETCH_SITES.contains(site.trim().toLowerCase(Locale.ROOT))) {
        return Optional.of(
            Problem.crossOrigin(
                "this call changes streams and the browser sent it from another site's page"
                    + " (Sec-Fetch-Site: "
                    + site
                    + (origins.isEmpty() ? "" : ", Origin: " + String.join(" ", origins))
                    + "); "
                    + WHO_MAY));
      }
    }
    return Optional.empty();
  }

  private static List<String> values(HttpRequest request, String lowerCaseName) {
    List<String> values = new ArrayList<>();
    for (HttpHeader header : request.getHeaders()) {
      if (header.is(lowerCaseName)) {
        values.add(header.value());
      }
    }
    return values;
  }

  /** This server's origin as the browser addressed it: the effective request URI's authority. */
  private static String own(Uri uri) {
    Host host = uri.host();
    String address = host.isIPv6() ? "[" + host.address() + "]" : host.address();
    String scheme = uri.scheme().toLowerCase(Locale.ROOT);
    int port = uri.port() > 0 ? uri.port() : defaultPort(scheme);
    return scheme + "://" + address.toLowerCase(Locale.ROOT) + ":" + port;
  }

  /**
   * {@code scheme://host:port}, lower-cased and with the scheme's default port made explicit, of an
   * http(s) origin; empty for anything else (a path, a query, user info, another scheme).
   */
  static Optional<String> normalised(String origin) {
    try {
      URI uri = new URI(origin.trim());
      String path = uri.getRawPath();
      if (uri.getScheme() == null
          || uri.getHost() == null
          || uri.getRawUserInfo() != null
          || uri.getRawQuery() != null
          || uri.getRawFragment() != null
          || !(path == null || path.isEmpty() || path.equals("/"))) {
        return Optional.empty();
      }
      String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        return Optional.empty();
      }
      int port = uri.getPort() >= 0 ? uri.getPort() : defaultPort(scheme);
      return Optional.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port);
    } catch (URISyntaxException notAnOrigin) {
      return Optional.empty();
    }
  }

  private static int defaultPort(String scheme) {
    return scheme.equals("https") ? 443 : 80;
  }
}
