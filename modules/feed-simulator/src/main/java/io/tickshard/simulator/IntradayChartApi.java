package io.tickshard.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The broker's intraday chart API, {@code POST /v2/charts/intraday}, answered from what the
 * simulator actually sent ({@link MinuteRecord}), so a test can hold tickshard's candles to it
 * exactly. Checked as the broker checks: the {@code access-token} and {@code client-id} headers
 * (the feed's credentials; an expired token is refused like an invalid one, DH-901), then the data
 * APIs' 5 requests per second per client (DH-904), then the body (DH-905).
 *
 * <p>The answer is the broker's column arrays: {@code open}, {@code high}, {@code low}, {@code
 * close}, {@code volume}, {@code timestamp} (epoch seconds of each candle's start) and, when {@code
 * "oi": true}, {@code open_interest}. The forming minute is included, as the broker includes the
 * current candle; minutes without a trade have no candle. An instrument never subscribed answers
 * empty arrays.
 */
final class IntradayChartApi {
  static final String PATH = "/v2/charts/intraday";

  private static final ObjectMapper JSON = new ObjectMapper();
  private final SimulatorState state;
  private final DataApiRateLimit rateLimit = new DataApiRateLimit();

  IntradayChartApi(SimulatorState state) {
    this.state = state;
  }

  AdminApi.Answer handle(HttpHead head, String body, Instant now, long nanoTime) {
    if (!head.method().equals("POST")) {
      return new AdminApi.Answer(405, "Method Not Allowed", write(Map.of("error", "use POST")));
    }
    String clientId = head.header("client-id");
    if (state.credentials.authenticate(clientId, head.header("access-token"), now) != 0) {
      return refuse(DataApiError.INVALID_AUTHENTICATION, null);
    }
    if (!rateLimit.tryAcquire(clientId, nanoTime)) {
      return refuse(DataApiError.RATE_LIMIT, null);
    }
    ChartRequest request;
    try {
      request = ChartRequest.parse(body);
    } catch (IllegalArgumentException e) {
      return refuse(DataApiError.INPUT_EXCEPTION, e.getMessage());
    }
    List<RecordedMinute> minutes =
        state
            .market
            .existing(request.instrument())
            .map(walk -> walk.minutes().between(request.from(), request.to()))
            .orElse(List.of());
    return new AdminApi.Answer(
        200, "OK", write(columns(fold(minutes, request.interval()), request)));
  }

  /** One-minute candles folded into the interval's: first open, extremes, last close, summed. */
  static List<RecordedMinute> fold(List<RecordedMinute> minutes, ChartInterval interval) {
    if (interval == ChartInterval.ONE) {
      return minutes;
    }
    List<RecordedMinute> folded = new ArrayList<>();
    RecordedMinute forming = null;
    for (RecordedMinute minute : minutes) {
      Instant bucket = interval.bucketOf(minute.start());
      if (forming != null && forming.start().equals(bucket)) {
        forming =
            new RecordedMinute(
                bucket,
                forming.open(),
                Math.max(forming.high(), minute.high()),
                Math.min(forming.low(), minute.low()),
                minute.close(),
                forming.volume() + minute.volume(),
                minute.openInterest());
      } else {
        if (forming != null) {
          folded.add(forming);
        }
        forming =
            new RecordedMinute(
                bucket,
                minute.open(),
                minute.high(),
                minute.low(),
                minute.close(),
                minute.volume(),
                minute.openInterest());
      }
    }
    if (forming != null) {
      folded.add(forming);
    }
    return folded;
  }

  private static Map<String, Object> columns(List<RecordedMinute> candles, ChartRequest request) {
    int n = candles.size();
    float[] open = new float[n];
    float[] high = new float[n];
    float[] low = new float[n];
    float[] close = new float[n];
    long[] volume = new long[n];
    long[] timestamp = new long[n];
    long[] openInterest = new long[n];
    for (int i = 0; i < n; i++) {
      RecordedMinute candle = candles.get(i);
      open[i] = candle.open();
      high[i] = candle.high();
      low[i] = candle.low();
      close[i] = candle.close();
      volume[i] = candle.volume();
      timestamp[i] = candle.start().getEpochSecond();
      openInterest[i] = candle.openInterest();
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("open", open);
    answer.put("high", high);
    answer.put("low", low);
    answer.put("close", close);
    answer.put("volume", volume);
    answer.put("timestamp", timestamp);
    if (request.openInterest()) {
      answer.put("open_interest", openInterest);
    }
    return answer;
  }

  private static AdminApi.Answer refuse(DataApiError error, String detail) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("errorType", error.type);
    body.put("errorCode", error.code);
    body.put("errorMessage", detail == null ? error.message : error.message + " (" + detail + ")");
    return new AdminApi.Answer(error.status, error.reason, write(body));
  }

  private static String write(Object body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("chart answers are plain maps and arrays", e);
    }
  }
}
