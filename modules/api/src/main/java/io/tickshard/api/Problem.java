package io.tickshard.api;

import io.tickshard.feed.FeedLimits;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * An RFC 9457 problem answer ({@code application/problem+json}): a stable {@code type} clients can
 * switch on, a human {@code detail}, and extension members where they help (for example {@code
 * nextOpen}). Never a stack trace.
 */
public final class Problem extends RuntimeException {
  public static final ContentType.WithFixedCharset CONTENT_TYPE =
      MediaTypes.applicationWithFixedCharset("problem+json", HttpCharsets.UTF_8).toContentType();

  private final String type;
  private final String title;
  private final int status;
  private final String detail;
  private final Map<String, Object> extensions = new LinkedHashMap<>();

  public Problem(String slug, String title, int status, String detail) {
    super(detail, null, false, false);
    this.type = "/problems/" + slug;
    this.title = title;
    this.status = status;
    this.detail = detail;
  }

  public Problem with(String name, Object value) {
    extensions.put(name, value);
    return this;
  }

  public String getType() {
    return type;
  }

  public String getTitle() {
    return title;
  }

  public int getStatus() {
    return status;
  }

  public String getDetail() {
    return detail;
  }

  public Map<String, Object> getExtensions() {
    return extensions;
  }

  public HttpResponse toResponse() {
    return HttpResponse.create()
        .withStatus(StatusCodes.get(status))
        .withEntity(HttpEntities.create(CONTENT_TYPE, ApiJson.write(body())));
  }

  /** Only the problem's members, not the exception's. */
  Map<String, Object> body() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", type);
    body.put("title", title);
    body.put("status", status);
    body.put("detail", detail);
    body.putAll(extensions);
    return body;
  }

  // ---- the catalogue: one factory per stable type ---------------------------------------------

  public static Problem badRequest(String detail) {
    return new Problem("bad-request", "The request is not valid", 400, detail);
  }

  /** A request too malformed to reach the routes; {@code status} is the parser's own 4xx. */
  public static Problem malformedRequest(int status, String detail) {
    return new Problem("malformed-request", "The request could not be read", status, detail);
  }

  public static Problem invalidStreamKey(String detail) {
    return new Problem(
        "invalid-stream-key", "The stream key or instruments are not valid", 400, detail);
  }

  /** Instruments named by symbols no entry of the instrument list has. */
  public static Problem unknownSymbols(List<String> symbols, String detail) {
    return new Problem("unknown-symbol", "Unknown instrument symbol", 400, detail)
        .with("symbols", symbols);
  }

  public static Problem unauthorized() {
    return new Problem(
        "unauthorized",
        "A bearer token is required",
        401,
        "this call changes streams: send 'Authorization: Bearer <TICKSHARD_API_TOKEN>'");
  }

  public static Problem crossOrigin(String detail) {
    return new Problem("cross-origin", "Another site's page cannot change streams", 403, detail);
  }

  public static Problem notFound(String detail) {
    return new Problem("not-found", "Not found", 404, detail);
  }

  public static Problem streamNotFound(String key) {
    return new Problem(
            "stream-not-found", "No such stream", 404, "stream " + key + " was never started")
        .with("key", key);
  }

  /** A short id that names no stream the registry or this node knows. */
  public static Problem streamIdNotFound(String id) {
    return new Problem(
            "stream-not-found",
            "No such stream",
            404,
            "no running stream has the id "
                + id
                + " (the id of a stopped stream is known only to the nodes that saw it: use its"
                + " key)")
        .with("id", id);
  }

  public static Problem streamNotRunning(String key) {
    return new Problem(
            "stream-not-running",
            "The stream is not running",
            404,
            "stream " + key + " is not running")
        .with("key", key);
  }

  public static Problem methodNotAllowed(String detail) {
    return new Problem("method-not-allowed", "Method not allowed", 405, detail);
  }

  public static Problem modeConflict(String key, String running, String requested) {
    return new Problem(
            "mode-conflict",
            "The stream runs in another mode",
            409,
            "stream " + key + " runs in " + running + " mode; stop it to start it in " + requested)
        .with("key", key)
        .with("runningMode", running)
        .with("requestedMode", requested);
  }

  public static Problem marketClosed(Instant nextOpen) {
    return new Problem(
            "market-closed",
            "The market is closed",
            409,
            nextOpen == null ? "the market is closed" : "the market is closed until " + nextOpen)
        .with("nextOpen", nextOpen == null ? null : nextOpen.toString());
  }

  public static Problem streamRefused(String key, String reason) {
    return new Problem("stream-refused", "The stream cannot be started", 409, reason)
        .with("key", key);
  }

  public static Problem budgetExhausted(String key, List<String> holders, int budget) {
    return new Problem(
            "budget-exhausted",
            "No broker connection is free",
            429,
            "all "
                + budget
                + " broker connections are in use; stop one of the streams that hold them to start "
                + key)
        .with("key", key)
        .with("budget", budget)
        .with("holders", holders);
  }

  /**
   * The key's instruments that no running stream subscribes yet do not fit on the broker
   * connections the budget allows ({@code capacity} = connections × 5,000).
   */
  public static Problem instrumentsExhausted(String key, int needed, int inUse, int capacity) {
    int perConnection = FeedLimits.MAX_INSTRUMENTS_PER_CONNECTION;
    int connections = capacity / perConnection;
    return new Problem(
            "budget-exhausted",
            "No room for these instruments on the broker connections",
            429,
            "the "
                + needed
                + " new instruments of "
                + shortened(key)
                + " do not fit: "
                + inUse
                + " of "
                + capacity
                + " instruments in use ("
                + connections
                + (connections == 1 ? " broker connection" : " broker connections")
                + " × "
                + perConnection
                + "); stop streams whose instruments no other stream needs")
        .with("key", key)
        .with("needed", needed)
        .with("inUse", inUse)
        .with("capacity", capacity);
  }

  /** A key as a detail quotes it; a long one is in full only in the {@code key} member. */
  private static String shortened(String key) {
    return key.length() <= 80 ? key : key.substring(0, 79) + "…";
  }

  public static Problem payloadTooLarge(String detail) {
    return new Problem("payload-too-large", "The request body is too large", 413, detail);
  }

  public static Problem unsupportedMediaType(String detail) {
    return new Problem("unsupported-media-type", "Unsupported media type", 415, detail);
  }

  public static Problem streamingDisabled(String reason) {
    return new Problem("streaming-disabled", "Streaming is disabled", 503, reason);
  }

  /** A viewer over this node's limit; viewers need no token, so the limit guards REST's room. */
  public static Problem tooManyViewers(int limit) {
    return new Problem(
            "too-many-viewers",
            "Too many tick viewers",
            503,
            "this node already serves "
                + limit
                + " tick viewers, its limit (tickshard.api.max-sse-viewers,"
                + " TICKSHARD_MAX_SSE_VIEWERS); try again later")
        .with("limit", limit);
  }

  /** Broker credentials by API need the API token: without one, anyone could set them. */
  public static Problem credentialsNeedApiToken() {
    return new Problem(
        "credentials-need-api-token",
        "Broker credentials cannot be set without an API token",
        403,
        "set TICKSHARD_API_TOKEN on every node to set broker credentials through the API; until"
            + " then use DHANHQ_ACCESS_TOKEN_FILE or DHANHQ_ACCESS_TOKEN");
  }

  /** Never quotes what was sent: it may be a token. */
  public static Problem invalidCredentials(String detail) {
    return new Problem("invalid-credentials", "The broker credentials are not valid", 400, detail);
  }

  public static Problem notReady(String detail) {
    return new Problem("not-ready", "The cluster is not ready", 503, detail);
  }

  /** A start or stop the journal did not record: nothing changed; the same call may be retried. */
  public static Problem journalUnavailable(String detail) {
    return new Problem("journal-unavailable", "The journal is unavailable", 503, detail);
  }

  public static Problem timeout(String what) {
    return new Problem(
        "timeout",
        "The cluster did not answer in time",
        503,
        what + " did not answer in time; try again");
  }

  public static Problem internal() {
    return new Problem(
        "internal-error", "Internal error", 500, "something went wrong on our side; it is logged");
  }
}
