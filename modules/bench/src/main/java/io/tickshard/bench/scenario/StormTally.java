package io.tickshard.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickshard.bench.client.ScreenerKey;
import io.tickshard.bench.client.Storm;
import io.tickshard.bench.measure.Figures;
import io.tickshard.bench.measure.Percentiles;
import io.tickshard.bench.measure.ViewerTally;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * What one storm's answers say: how long they took, which were not a success and why, and, for
 * starts, what each answered ({@code started}, {@code already_running}, {@code queued}) for which
 * key.
 */
final class StormTally {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One answer as read: its start status and key (empty for the baseline), or its problem. */
  private record Read(Storm.Answer answer, String status, String key, String problem) {}

  private final List<Read> reads = new ArrayList<>();
  private final Histogram latency = ViewerTally.newHistogram();
  private long lastAnswer;

  /**
   * {@code starts}: answers of tickshard's start call, a success being 201 {@code started} or 200
   * {@code already_running} or {@code queued} (started earlier, not connected upstream yet); else
   * any 2xx (the baseline's constant).
   */
  StormTally(List<Storm.Answer> answers, boolean starts) {
    for (Storm.Answer answer : answers) {
      latency.recordValue(Math.min(latency.getHighestTrackableValue(), answer.micros()));
      lastAnswer = Math.max(lastAnswer, answer.sinceFirst());
      reads.add(starts ? readStart(answer) : readOther(answer));
    }
  }

  private static Read readStart(Storm.Answer answer) {
    if (answer.failure() != null) {
      return new Read(answer, "", "", answer.failure());
    }
    JsonNode body = parse(answer.body());
    String status = body.path("status").asText();
    boolean success =
        answer.status() == 201 && status.equals("started")
            || answer.status() == 200
                && (status.equals("already_running") || status.equals("queued"));
    String problem =
        success ? null : "HTTP " + answer.status() + " " + body.path("type").asText(status);
    return new Read(answer, status, body.path("key").asText(), problem);
  }

  private static Read readOther(Storm.Answer answer) {
    if (answer.failure() != null) {
      return new Read(answer, "", "", answer.failure());
    }
    boolean success = answer.status() >= 200 && answer.status() < 300;
    return new Read(answer, "", "", success ? null : "HTTP " + answer.status());
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException notJson) {
      return JSON.createObjectNode();
    }
  }

  Histogram latency() {
    return latency;
  }

  long errors() {
    return reads.stream().filter(r -> r.problem() != null).count();
  }

  /** Successful answers whose status is {@code status}. */
  long answered(String status) {
    return reads.stream().filter(r -> r.problem() == null && r.status().equals(status)).count();
  }

  /**
   * Keys of {@code keys} whose answers said {@code started} {@code times} times (or more, with
   * {@code orMore}): twice is a broken promise; never, a start whose answer was lost (a 503).
   */
  long keysStarted(Collection<ScreenerKey> keys, int times, boolean orMore) {
    Map<String, Long> started = new HashMap<>();
    reads.stream()
        .filter(r -> r.problem() == null && r.status().equals("started"))
        .forEach(r -> started.merge(r.key(), 1L, Long::sum));
    return keys.stream()
        .map(k -> started.getOrDefault(k.key(), 0L))
        .filter(n -> orMore ? n >= times : n == times)
        .count();
  }

  /** The series' answer times, its last answer from the storm's first send, and its errors. */
  void put(Figures figures, String series) {
    Percentiles.put(figures, series, latency);
    figures.put(series + " last answer ms", lastAnswer / 1_000.0);
    figures.put(
        series + " answers over 1 s",
        reads.stream().filter(r -> r.answer().micros() > 1_000_000).count());
    figures.put(series + " errors", errors());
  }

  /**
   * A line for the console when something stands out: the kinds of errors, and how the answers fall
   * by whole seconds when any took one or more (steps of 1 s and 3 s are SYN retransmits).
   */
  String remarks() {
    List<String> remarks = new ArrayList<>();
    Map<String, Long> kinds =
        reads.stream()
            .filter(r -> r.problem() != null)
            .collect(Collectors.groupingBy(Read::problem, TreeMap::new, Collectors.counting()));
    if (!kinds.isEmpty()) {
      remarks.add(
          errors()
              + " errors: "
              + kinds.entrySet().stream()
                  .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                  .limit(5)
                  .map(e -> e.getKey() + " x" + e.getValue())
                  .collect(Collectors.joining(", ")));
    }
    if (latency.getMaxValue() >= 1_000_000) {
      Map<Long, Long> bySecond = new LinkedHashMap<>();
      reads.stream()
          .map(r -> r.answer().micros() / 1_000_000)
          .sorted()
          .forEach(s -> bySecond.merge(s, 1L, Long::sum));
      remarks.add(
          "answers by second: "
              + bySecond.entrySet().stream()
                  .map(e -> e.getKey() + "-" + (e.getKey() + 1) + " s: " + e.getValue())
                  .collect(Collectors.joining(", ")));
    }
    return String.join("; ", remarks);
  }
}
