package io.tickshard.api;

import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamSpec;
import io.tickshard.streams.StreamState;
import io.tickshard.streams.StreamStatus;
import io.tickshard.streams.entity.StartReply;
import io.tickshard.streams.entity.StopReply;
import io.tickshard.streams.entity.StreamEntity;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/** REST v1: {@code /api/v1/streams}, one stream by key, stop-all, and the key's tick stream. */
final class StreamRoutes extends AllDirectives {
  private final StreamControl control;
  private final BearerToken token;
  private final TickEvents ticks;
  private final StreamSnapshot snapshots;

  StreamRoutes(StreamControl control, BearerToken token, TickEvents ticks) {
    this.control = control;
    this.token = token;
    this.ticks = ticks;
    this.snapshots = new StreamSnapshot(control);
  }

  Route routes() {
    return pathPrefix(
        PathMatchers.segment("api").slash("v1").slash("streams"),
        () ->
            concat(
                pathEnd(
                    () ->
                        concat(
                            get(() -> parameterOptional("symbols", this::list)),
                            post(() -> token.required(() -> JsonBody.required(this::start))))),
                path(
                    "stop-all",
                    () -> post(() -> token.required(() -> JsonBody.noneOrJson(this::stopAll)))),
                pathPrefix(
                    PathMatchers.segment(),
                    keyText ->
                        // "stop-all" is no key: other methods there are 405, not a bad key.
                        keyText.equals("stop-all")
                            ? reject()
                            : concat(
                                pathEnd(
                                    () ->
                                        concat(
                                            get(() -> status(keyText)),
                                            delete(() -> token.required(() -> stop(keyText))))),
                                path("ticks", () -> get(() -> ticks.route(keyText))),
                                path("snapshot", () -> get(() -> snapshots.route(keyText)))))));
  }

  /** The listing; with {@code ?symbols=true}, each stream with its instruments' names. */
  private Route list(Optional<String> symbols) {
    String asked = symbols.orElse("false");
    if (!asked.equals("true") && !asked.equals("false")) {
      return complete(
          Problem.badRequest("symbols must be true or false, not '" + asked + "'").toResponse());
    }
    boolean named = asked.equals("true");
    return Answers.complete(
        control
            .listing()
            .thenApply(
                listing -> {
                  Map<String, Object> body = new LinkedHashMap<>();
                  body.put(
                      "streams",
                      listing.streams().stream()
                          .map(
                              st ->
                                  named
                                      ? StreamResponse.of(st, control.instruments())
                                      : StreamResponse.of(st))
                          .toList());
                  long lost =
                      listing.streams().stream()
                          .filter(st -> st.state() == StreamState.LOST)
                          .count();
                  // lost: known streams whose node went away, not yet running on another one.
                  body.put(
                      "counts",
                      Map.of("total", listing.total(), "perNode", listing.perNode(), "lost", lost));
                  body.put("complete", listing.complete());
                  return ApiJson.response(StatusCodes.OK, body);
                }));
  }

  private Route start(String body) {
    control.requireStartable();
    StreamSpec spec =
        StreamRequest.parse(body, control.settings().defaultMode(), control.instruments());
    control.remember(spec.key());
    long began = System.nanoTime();
    CompletionStage<HttpResponse> answer =
        control.start(spec).thenApply(reply -> startAnswer(spec, reply, control.instruments()));
    answer.whenComplete(
        (response, failure) ->
            ApiMetrics.get(control.system())
                .startAnswered(response, failure, System.nanoTime() - began));
    return Answers.complete(answer);
  }

  static HttpResponse startAnswer(StreamSpec spec, StartReply reply, InstrumentNames names) {
    String key = spec.key().value();
    if (reply instanceof StartReply.Started started) {
      return ApiJson.response(StatusCodes.CREATED, started(key, "started", started.status(), names))
          .addHeader(Location.create(location(spec.key())));
    }
    if (reply instanceof StartReply.AlreadyRunning running) {
      return ApiJson.response(
          StatusCodes.OK, started(key, "already_running", running.status(), names));
    }
    if (reply instanceof StartReply.Queued queued) {
      return ApiJson.response(StatusCodes.OK, started(key, "queued", queued.status(), names));
    }
    throw refusal(key, reply);
  }

  /** The problem for a stop that stopped nothing. */
  static Problem stopRefusal(StreamKey key, StopReply reply) {
    if (reply instanceof StopReply.NotRecorded unrecorded) {
      return Problem.journalUnavailable(unrecorded.reason());
    }
    return Problem.streamNotRunning(key.value());
  }

  /** The problem for a start that did not start anything. */
  static Problem refusal(String key, StartReply reply) {
    if (reply instanceof StartReply.ModeConflict conflict) {
      return Problem.modeConflict(
          key, conflict.runningMode().wireName(), conflict.requestedMode().wireName());
    }
    if (reply instanceof StartReply.MarketClosed closed) {
      return Problem.marketClosed(closed.nextOpen());
    }
    if (reply instanceof StartReply.Rejected rejected) {
      return Problem.streamRefused(key, rejected.reason());
    }
    if (reply instanceof StartReply.BudgetExhausted exhausted) {
      return Problem.budgetExhausted(key, exhausted.holders(), exhausted.budget());
    }
    if (reply instanceof StartReply.InstrumentsExhausted exhausted) {
      return Problem.instrumentsExhausted(
          key, exhausted.needed(), exhausted.inUse(), exhausted.capacity());
    }
    if (reply instanceof StartReply.Unavailable unavailable) {
      return Problem.notReady(unavailable.reason());
    }
    if (reply instanceof StartReply.NotRecorded unrecorded) {
      return Problem.journalUnavailable(unrecorded.reason());
    }
    return Problem.internal();
  }

  private static Map<String, Object> started(
      String key, String status, StreamStatus stream, InstrumentNames names) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("key", key);
    body.put("id", StreamKey.shortIdOf(key));
    body.put("status", status);
    body.put("stream", StreamResponse.of(stream, names));
    return body;
  }

  /** By its short id: a key of thousands of instruments does not fit in a URL. */
  static String location(StreamKey key) {
    return "/api/v1/streams/" + key.shortId();
  }

  private Route status(String keyText) {
    CompletionStage<StreamKey> named = control.key(keyText);
    control.requireReady();
    return Answers.complete(
        named.thenCompose(
            key ->
                control
                    .status(key)
                    .thenApply(
                        reply -> {
                          if (reply instanceof StreamEntity.Found found) {
                            return ApiJson.response(
                                StatusCodes.OK,
                                StreamResponse.of(found.status(), control.instruments()));
                          }
                          throw Problem.streamNotFound(key.value());
                        })));
  }

  private Route stop(String keyText) {
    CompletionStage<StreamKey> named = control.key(keyText);
    control.requireReady();
    return Answers.complete(
        named.thenCompose(
            key ->
                control
                    .stop(key, "stopped via the API")
                    .thenApply(
                        reply -> {
                          // A retried stop gets the same answer, so that a caller who saw a 503
                          // can retry.
                          StreamStatus stopped = StopReply.stoppedStatus(reply);
                          if (stopped != null) {
                            return ApiJson.response(
                                StatusCodes.OK,
                                started(
                                    key.value(),
                                    StreamState.STOPPED.wireName(),
                                    stopped,
                                    control.instruments()));
                          }
                          throw StreamRoutes.stopRefusal(key, reply);
                        })));
  }

  private Route stopAll() {
    control.requireReady();
    return Answers.complete(
        control
            .stopAll("stopped via stop-all")
            .thenApply(
                keys ->
                    ApiJson.response(
                        StatusCodes.OK, Map.of("stopped", keys.size(), "keys", keys))));
  }
}
