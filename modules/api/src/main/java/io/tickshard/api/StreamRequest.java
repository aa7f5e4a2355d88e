package io.tickshard.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickshard.feed.FeedMode;
import io.tickshard.streams.InvalidStreamKeyException;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a start request body, {@code {"screenerType", "instruments": [...], "mode"?}}, with an
 * error that says exactly what is wrong.
 */
final class StreamRequest {
  private StreamRequest() {}

  /** With symbols ({@code "RELIANCE"}, {@code "IDX_I:NIFTY"}) looked up in {@code names}. */
  static StreamSpec parse(String body, FeedMode defaultMode, InstrumentNames names) {
    JsonNode root = JsonBody.object(body);
    JsonNode type = root.get("screenerType");
    if (type == null) {
      throw Problem.badRequest("screenerType is required and must be a string");
    }
    if (!type.isTextual()) {
      throw Problem.badRequest("screenerType must be a string, not " + JsonBody.kind(type));
    }
    JsonNode list = root.get("instruments");
    if (list == null || !list.isArray()) {
      throw Problem.badRequest(
          "instruments is required: an array of ids (1333), SEGMENT:ID strings"
              + " (\"NSE_FNO:55796\") or symbols (\"RELIANCE\")"
              + (list == null ? "" : ", not " + JsonBody.kind(list)));
    }
    List<String> instruments = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      JsonNode item = list.get(i);
      if (item.isTextual() || item.isIntegralNumber()) {
        instruments.add(item.asText());
      } else {
        throw Problem.invalidStreamKey(
            "instruments["
                + i
                + "] must be an id (a whole number) or a string (\"NSE_FNO:55796\"), not "
                + (item.isNumber() ? "a number with a fraction" : JsonBody.kind(item)));
      }
    }
    FeedMode mode = defaultMode;
    JsonNode modeNode = root.get("mode");
    if (modeNode != null && !modeNode.isNull()) {
      if (!modeNode.isTextual()) {
        throw Problem.badRequest(
            "mode must be one of ticker, quote, full (a string), not " + JsonBody.kind(modeNode));
      }
      mode =
          FeedMode.parse(modeNode.asText())
              .orElseThrow(() -> Problem.badRequest("mode must be one of ticker, quote, full"));
    }
    return new StreamSpec(key(type.asText(), names.resolve(instruments)), mode);
  }

  /** A key from a screener type and instrument texts, or a 400 problem saying why not. */
  static StreamKey key(String screenerType, List<String> instruments) {
    try {
      return StreamKey.of(screenerType, instruments);
    } catch (InvalidStreamKeyException e) {
      throw Problem.invalidStreamKey(e.getMessage());
    }
  }

  /** A key from its canonical text, or a 400 problem. */
  static StreamKey parseKey(String text) {
    try {
      return StreamKey.parse(text);
    } catch (InvalidStreamKeyException e) {
      throw Problem.invalidStreamKey(e.getMessage());
    }
  }
}
