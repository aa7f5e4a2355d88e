package io.tickshard.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.Instrument;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * A {@code POST /v2/charts/intraday} body, read once at the edge as the broker reads it:
 *
 * <pre>
 * {"securityId": "1333", "exchangeSegment": "NSE_EQ", "instrument": "EQUITY", "interval": "1",
 *  "oi": false, "fromDate": "2024-09-11 09:30:00", "toDate": "2024-09-11 15:30:00"}
 * </pre>
 *
 * Dates are IST, {@code yyyy-MM-dd HH:mm:ss} or {@code yyyy-MM-dd} (midnight); {@code toDate} is
 * exclusive, and a call covers at most {@link #MAX_RANGE} (the broker's 90 days).
 *
 * @param from the first minute asked for (inclusive)
 * @param to the end of the range (exclusive)
 * @param openInterest whether the answer carries {@code open_interest}
 */
record ChartRequest(
    Instrument instrument,
    InstrumentType type,
    ChartInterval interval,
    boolean openInterest,
    Instant from,
    Instant to) {

  static final Duration MAX_RANGE = Duration.ofDays(90);
  static final ZoneId IST = ZoneId.of("Asia/Kolkata");

  /** The broker's instrument types (its annexure); checked, not otherwise used here. */
  enum InstrumentType {
    INDEX,
    FUTIDX,
    OPTIDX,
    EQUITY,
    FUTSTK,
    OPTSTK,
    FUTCOM,
    OPTFUT,
    FUTCUR,
    OPTCUR
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

  /** Parses a body; an {@link IllegalArgumentException} says what the broker would refuse. */
  static ChartRequest parse(String body) {
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the body is not JSON");
    }
    if (json == null || !json.isObject()) {
      throw new IllegalArgumentException("the body must be a JSON object");
    }
    ExchangeSegment segment = segment(required(json, "exchangeSegment"));
    int securityId = securityId(required(json, "securityId"));
    InstrumentType type = type(required(json, "instrument"));
    String intervalText = required(json, "interval");
    ChartInterval interval =
        ChartInterval.of(intervalText)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "interval must be 1, 5, 15, 25 or 60, not " + intervalText));
    JsonNode oi = json.get("oi");
    if (oi != null && !oi.isBoolean() && !oi.isNull()) {
      throw new IllegalArgumentException("oi must be true or false");
    }
    Instant from = date("fromDate", required(json, "fromDate"));
    Instant to = date("toDate", required(json, "toDate"));
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("fromDate must be before toDate");
    }
    if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
      throw new IllegalArgumentException("a call covers at most 90 days");
    }
    return new ChartRequest(
        Instrument.of(segment, securityId), type, interval, oi != null && oi.asBoolean(), from, to);
  }

  private static String required(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull() || value.isContainerNode() || value.asText().isBlank()) {
      throw new IllegalArgumentException(field + " is required");
    }
    return value.asText().trim();
  }

  private static ExchangeSegment segment(String text) {
    try {
      return ExchangeSegment.valueOf(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown exchangeSegment " + text);
    }
  }

  private static InstrumentType type(String text) {
    try {
      return InstrumentType.valueOf(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown instrument " + text);
    }
  }

  private static int securityId(String text) {
    try {
      int id = Integer.parseInt(text);
      if (id < 0) {
        throw new NumberFormatException();
      }
      return id;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("securityId must be a number, not " + text);
    }
  }

  private static Instant date(String field, String text) {
    try {
      if (text.length() == 10) {
        return LocalDate.parse(text).atStartOfDay(IST).toInstant();
      }
      return LocalDateTime.parse(text, DATE_TIME).atZone(IST).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          field + " must be yyyy-MM-dd HH:mm:ss or yyyy-MM-dd (IST), not " + text);
    }
  }
}
