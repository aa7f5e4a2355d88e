package io.tickshard.service.rig;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * Starts sent at once, as screener pages send them at market open: each key several times, in a
 * random order, each with its ids shuffled and one repeated, spread over the given nodes.
 */
public final class Storm {
  /**
   * One answer: how long it took from its own send, and from the storm's first send.
   *
   * @param response the answer
   */
  public record Answer(HttpResponse<String> response, long millis, long sinceBegan) {
    public JsonNode body() {
      return StreamsApi.parse(response.body());
    }

    public String status() {
      return body().path("status").asText();
    }
  }

  private Storm() {}

  /**
   * {@code requests} starts of {@code keys} (round robin, then shuffled), all in flight at once.
   */
  public static List<Answer> of(
      List<ScreenerKey> keys, int requests, List<NodeProcess> targets, Random random)
      throws Exception {
    List<ScreenerKey> order = new ArrayList<>();
    for (int r = 0; r < requests; r++) {
      order.add(keys.get(r % keys.size()));
    }
    Collections.shuffle(order, random);
    List<HttpRequest> sent = new ArrayList<>();
    for (ScreenerKey key : order) {
      NodeProcess node = targets.get(random.nextInt(targets.size()));
      sent.add(StreamsApi.startRequest(node, key.startBody(random)));
    }
    return send(sent, requests);
  }

  /** Sends {@code requests}, at most {@code inFlight} at a time, and waits for every answer. */
  public static List<Answer> send(List<HttpRequest> requests, int inFlight) throws Exception {
    Semaphore seats = new Semaphore(inFlight);
    List<CompletableFuture<Answer>> sent = new ArrayList<>();
    long began = System.nanoTime();
    for (HttpRequest request : requests) {
      seats.acquire();
      long at = System.nanoTime();
      sent.add(
          StreamsApi.HTTP
              .sendAsync(request, HttpResponse.BodyHandlers.ofString())
              .whenComplete((answer, failure) -> seats.release())
              .thenApply(
                  answer -> {
                    long now = System.nanoTime();
                    return new Answer(answer, (now - at) / 1_000_000, (now - began) / 1_000_000);
                  }));
    }
    return sent.stream().map(CompletableFuture::join).toList();
  }

  /** Every answer is one of {@code statuses} (HTTP), else the failure shows it. */
  public static void assertAnswered(List<Answer> answers, Integer... statuses) {
    assertThat(answers)
        .allSatisfy(
            a -> assertThat(a.response().statusCode()).as(a.response().body()).isIn(statuses));
  }

  /** Each key's answers' statuses ({@code started}, {@code already_running}, ...), by key. */
  public static Map<String, List<String>> statusesPerKey(List<Answer> answers) {
    Map<String, List<String>> perKey = new HashMap<>();
    for (Answer answer : answers) {
      JsonNode body = answer.body();
      perKey
          .computeIfAbsent(body.path("key").asText(), k -> new ArrayList<>())
          .add(body.path("status").asText());
    }
    return perKey;
  }

  /** Exactly one start per key answered {@code started}: the rest found it started. */
  public static void assertOneStartedPerKey(List<Answer> answers, List<ScreenerKey> keys) {
    Map<String, List<String>> perKey = statusesPerKey(answers);
    assertThat(perKey.keySet())
        .containsExactlyInAnyOrderElementsOf(keys.stream().map(ScreenerKey::key).toList());
    perKey.forEach(
        (key, statuses) ->
            assertThat(statuses.stream().filter("started"::equals).count())
                .as("%s answered %s", key, statuses)
                .isEqualTo(1));
  }

  /** p50, p95, max of the answers' own times. */
  public static String answerTimes(List<Answer> answers) {
    List<Long> sorted = sorted(answers, Answer::millis);
    return "p50 "
        + at(sorted, 0.5)
        + " ms, p95 "
        + at(sorted, 0.95)
        + " ms, max "
        + at(sorted, 1.0)
        + " ms ("
        + sorted.size()
        + " answers)";
  }

  /** p50 p90 p99 max of when the answers came, from the storm's first send. */
  public static String answeredBy(List<Answer> answers) {
    List<Long> sorted = sorted(answers, Answer::sinceBegan);
    return List.of(0.5, 0.9, 0.99, 1.0).stream()
        .map(q -> at(sorted, q) + " ms")
        .collect(Collectors.joining(" "));
  }

  private static List<Long> sorted(List<Answer> answers, ToLongFunction<Answer> time) {
    return answers.stream().map(a -> time.applyAsLong(a)).sorted().toList();
  }

  private static long at(List<Long> sorted, double quantile) {
    return sorted.get((int) Math.ceil(quantile * sorted.size()) - 1);
  }
}
