package io.tickshard.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamSpec;
import io.tickshard.streams.StreamState;
import io.tickshard.streams.StreamStatus;
import io.tickshard.streams.entity.StartReply;
import io.tickshard.streams.entity.StopReply;
import io.tickshard.streams.entity.StreamEntity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * The endpoints the existing screener pages call, so they can switch to tickshard unchanged: {@code
 * screener_type} and {@code instrument_ids} (CSV, repeated, or as {@code instrument_ids[]}) as form
 * fields or JSON, answers {@code {status, message, mode: "websocket", stream_key}}.
 */
final class ScreenerRoutes extends AllDirectives {
  private static final String IDS = "instrument_ids";
  private final StreamControl control;
  private final BearerToken token;

  ScreenerRoutes(StreamControl control, BearerToken token) {
    this.control = control;
    this.token = token;
  }

  Route routes() {
    return pathPrefix(
        "screeners",
        () ->
            concat(
                path(
                    PathMatchers.segment("ltp").slash("start"),
                    () -> post(() -> token.required(() -> fields(this::start)))),
                path(
                    PathMatchers.segment("ltp").slash("stop"),
                    () -> post(() -> token.required(() -> fields(this::stop)))),
                path(
                    PathMatchers.segment("websocket").slash("status"),
                    () -> get(() -> parameterList(query -> status(fields(query)))))));
  }

  /** The fields of a form-encoded or JSON body, as strings. */
  private Route fields(Function<Map<String, String>, Route> inner) {
    return extractRequestEntity(
        entity -> {
          if (entity.getContentType().mediaType().equals(MediaTypes.APPLICATION_JSON)) {
            return entity(Unmarshaller.entityToString(), body -> inner.apply(jsonFields(body)));
          }
          if (entity.isKnownEmpty()
              || entity
                  .getContentType()
                  .mediaType()
                  .equals(MediaTypes.APPLICATION_X_WWW_FORM_URLENCODED)) {
            return formFieldList(form -> inner.apply(fields(form)));
          }
          throw Problem.unsupportedMediaType(
              "send form fields (application/x-www-form-urlencoded) or JSON");
        });
  }

  /**
   * Form fields or query parameters, in the order sent. {@code instrument_ids} may come more than
   * once, and as Rails' and jQuery's {@code instrument_ids[]} ({@code instrument_ids%5B%5D}): all
   * of them join as the comma list they stand for. Of any other field repeated, the last counts.
   */
  static Map<String, String> fields(List<Map.Entry<String, String>> sent) {
    Map<String, String> fields = new HashMap<>();
    List<String> ids = new ArrayList<>();
    for (Map.Entry<String, String> field : sent) {
      if (field.getKey().equals(IDS) || field.getKey().equals(IDS + "[]")) {
        ids.add(field.getValue());
      } else {
        fields.put(field.getKey(), field.getValue());
      }
    }
    if (!ids.isEmpty()) {
      fields.put(IDS, String.join(",", ids));
    }
    return fields;
  }

  private static Map<String, String> jsonFields(String body) {
    JsonNode root = JsonBody.object(body);
    Map<String, String> fields = new HashMap<>();
    root.fields()
        .forEachRemaining(
            field -> {
              String name = field.getKey();
              JsonNode value = field.getValue();
              if (value.isArray()) {
                // instrument_ids may come as an array too: join it as the CSV it stands for.
                StringBuilder csv = new StringBuilder();
                for (int i = 0; i < value.size(); i++) {
                  JsonNode item = value.get(i);
                  if (name.equals(IDS) && !item.isTextual() && !item.isIntegralNumber()) {
                    throw Problem.invalidStreamKey(
                        IDS
                            + "["
                            + i
                            + "] must be an id (a whole number) or a string"
                            + " (\"NSE_FNO:55796\"), not "
                            + (item.isNumber() ? "a number with a fraction" : JsonBody.kind(item)));
                  }
                  csv.append(i > 0 ? "," : "").append(item.asText());
                }
                fields.put(name, csv.toString());
              } else if (value.isValueNode()) {
                fields.put(name, value.asText());
              } else {
                throw Problem.badRequest(
                    JsonBody.name(name) + " must be a string, not " + JsonBody.kind(value));
              }
            });
    return fields;
  }

  private StreamKey key(Map<String, String> fields) {
    String type = fields.get("screener_type");
    String ids = fields.get("instrument_ids");
    if (type == null || type.isBlank()) {
      throw Problem.badRequest("screener_type is required");
    }
    if (ids == null || ids.isBlank()) {
      throw Problem.badRequest("instrument_ids is required (comma-separated)");
    }
    List<String> instruments = Arrays.stream(ids.split(",")).map(String::trim).toList();
    return StreamRequest.key(type.trim(), control.instruments().resolve(instruments));
  }

  private Route start(Map<String, String> fields) {
    StreamKey key = key(fields);
    control.requireStartable();
    StreamSpec spec = new StreamSpec(key, control.settings().defaultMode());
    return Answers.complete(
        control
            .start(spec)
            .thenApply(
                reply -> {
                  if (reply instanceof StartReply.Started) {
                    return answer(key, "started", "stream started");
                  }
                  if (reply instanceof StartReply.AlreadyRunning) {
                    return answer(key, "already_running", "stream already running");
                  }
                  if (reply instanceof StartReply.Queued) {
                    return answer(key, "queued", "stream starting; not connected yet");
                  }
                  throw StreamRoutes.refusal(key.value(), reply);
                }));
  }

  private Route stop(Map<String, String> fields) {
    StreamKey key = key(fields);
    control.requireReady();
    return Answers.complete(
        control
            .stop(key, "stopped via /screeners/ltp/stop")
            .thenApply(
                reply -> {
                  if (reply instanceof StopReply.Stopped) {
                    return answer(key, StreamState.STOPPED.wireName(), "stream stopped");
                  }
                  if (reply instanceof StopReply.NotRunning
                      || reply instanceof StopReply.AlreadyStopped) {
                    return answer(key, "not_running", "stream was not running");
                  }
                  throw StreamRoutes.stopRefusal(key, reply);
                }));
  }

  private Route status(Map<String, String> query) {
    StreamKey key = key(query);
    control.requireReady();
    return Answers.complete(
        control
            .status(key)
            .thenApply(
                reply -> {
                  if (reply instanceof StreamEntity.Found found) {
                    return withStream(key, found.status());
                  }
                  return answer(key, "not_running", "stream was never started");
                }));
  }

  private static HttpResponse answer(StreamKey key, String status, String message) {
    return ApiJson.response(StatusCodes.OK, body(key, status, message));
  }

  private static HttpResponse withStream(StreamKey key, StreamStatus stream) {
    String state = stream.state().wireName();
    Map<String, Object> body = body(key, state, "stream " + state);
    body.put("stream", StreamResponse.of(stream));
    return ApiJson.response(StatusCodes.OK, body);
  }

  private static Map<String, Object> body(StreamKey key, String status, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status);
    body.put("message", message);
    body.put("mode", "websocket");
    body.put("stream_key", key.value());
    return body;
  }
}
