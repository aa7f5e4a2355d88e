package io.tickshard.feed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * One JSON request from client to broker: a (un)subscribe for up to 100 instruments, or the
 * disconnect request.
 *
 * <p>Wire form: {@code {"RequestCode":17,"InstrumentCount":1,"InstrumentList":[{"ExchangeSegment":
 * "NSE_EQ","SecurityId":"1333"}]}}; the disconnect request is {@code {"RequestCode":12}} alone.
 */
public record FeedRequest(RequestCode code, List<Instrument> instruments) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public FeedRequest {
    if (code == null) {
      throw new IllegalArgumentException("request code is required");
    }
    instruments = List.copyOf(instruments);
    if (code == RequestCode.DISCONNECT && !instruments.isEmpty()) {
      throw new IllegalArgumentException("the disconnect request carries no instruments");
    }
  }

  /** The subscribe messages for these instruments in this mode, at most 100 instruments each. */
  public static List<FeedRequest> subscribe(FeedMode mode, Collection<Instrument> instruments) {
    return chunked(mode.subscribeCode(), instruments);
  }

  /** The unsubscribe messages for these instruments in this mode, at most 100 instruments each. */
  public static List<FeedRequest> unsubscribe(FeedMode mode, Collection<Instrument> instruments) {
    return chunked(mode.unsubscribeCode(), instruments);
  }

  public static FeedRequest disconnect() {
    return new FeedRequest(RequestCode.DISCONNECT, List.of());
  }

  private static List<FeedRequest> chunked(RequestCode code, Collection<Instrument> instruments) {
    List<Instrument> all = List.copyOf(instruments);
    List<FeedRequest> requests = new ArrayList<>();
    for (int from = 0; from < all.size(); from += FeedLimits.MAX_INSTRUMENTS_PER_REQUEST) {
      int to = Math.min(all.size(), from + FeedLimits.MAX_INSTRUMENTS_PER_REQUEST);
      requests.add(new FeedRequest(code, all.subList(from, to)));
    }
    return requests;
  }

  /** The JSON text frame the broker accepts. */
  public String toJson() {
    StringBuilder json = new StringBuilder(64 + instruments.size() * 48);
    json.append("{\"RequestCode\":").append(code.code());
    if (code != RequestCode.DISCONNECT) {
      json.append(",\"InstrumentCount\":").append(instruments.size());
      json.append(",\"InstrumentList\":[");
      for (int i = 0; i < instruments.size(); i++) {
        Instrument instrument = instruments.get(i);
        if (i > 0) {
          json.append(',');
        }
        // Segment names and decimal ids need no escaping.
        json.append("{\"ExchangeSegment\":\"")
            .append(instrument.segment().name())
            .append("\",\"SecurityId\":\"")
            .append(instrument.securityId())
            .append("\"}");
      }
      json.append(']');
    }
    return json.append('}').toString();
  }

  /**
   * Reads a request as the broker would. A {@code SecurityId} may be a string or a number; {@code
   * InstrumentCount} is informative only (the list is what counts).
   *
   * @throws MalformedRequestException saying what is wrong
   */
  public static FeedRequest parse(String text) {
    if (text == null) {
      throw new MalformedRequestException("request is empty");
    }
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new MalformedRequestException("request is not JSON");
    }
    if (root == null || !root.isObject()) {
      throw new MalformedRequestException("request is not a JSON object");
    }
    JsonNode codeNode = root.get("RequestCode");
    if (codeNode == null || !codeNode.isIntegralNumber() || !codeNode.canConvertToInt()) {
      throw new MalformedRequestException("RequestCode is missing or not a number");
    }
    RequestCode code =
        RequestCode.fromCode(codeNode.asInt())
            .orElseThrow(
                () -> new MalformedRequestException("unknown RequestCode " + codeNode.asText()));
    if (code == RequestCode.DISCONNECT) {
      return disconnect();
    }
    JsonNode list = root.get("InstrumentList");
    if (list == null || !list.isArray()) {
      throw new MalformedRequestException("InstrumentList is missing or not an array");
    }
    List<Instrument> instruments = new ArrayList<>(list.size());
    for (JsonNode item : list) {
      instruments.add(parseInstrument(item));
    }
    return new FeedRequest(code, instruments);
  }

  private static Instrument parseInstrument(JsonNode item) {
    JsonNode segmentNode = item.get("ExchangeSegment");
    JsonNode idNode = item.get("SecurityId");
    if (segmentNode == null || idNode == null) {
      throw new MalformedRequestException("an instrument lacks ExchangeSegment or SecurityId");
    }
    ExchangeSegment segment =
        ExchangeSegment.fromName(segmentNode.asText())
            .orElseThrow(
                () ->
                    new MalformedRequestException(
                        "unknown ExchangeSegment '" + segmentNode.asText() + "'"));
    try {
      return new Instrument(segment, Instrument.parseSecurityId(idNode.asText()));
    } catch (IllegalArgumentException e) {
      throw new MalformedRequestException(e.getMessage());
    }
  }

  /** A request that the broker would not accept, with the reason. */
  public static final class MalformedRequestException extends IllegalArgumentException {
    public MalformedRequestException(String reason) {
      super(reason);
    }
  }
}
