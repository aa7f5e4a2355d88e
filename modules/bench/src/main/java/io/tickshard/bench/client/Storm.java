package io.tickshard.bench.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Requests sent all at once, as screener pages send their starts at market open: no limit on how
 * many are in flight, so that the JDK's client opens a connection for each request that finds none
 * idle, as each browser opens its own.
 */
public final class Storm {
  /** Longer than the API's own budget for a start, so that its answer, even a 503, is measured. */
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

  /**
   * One request's outcome: its HTTP status and body, or why there was none ({@code failure}); how
   * long from its own send, and from the storm's first send, in microseconds.
   */
  public record Answer(int status, String body, String failure, long micros, long sinceFirst) {}

  private Storm() {}

  /**
   * A client of HTTP/1.1 (a page's fetch to a plain-HTTP origin), with a connect timeout long
   * enough for the SYN retransmits (1 s, then 3 s) of a listen queue that overflowed, so that they
   * show as late answers rather than as errors.
   */
  public static HttpClient newClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  /** A start of a stream ({@code POST /api/v1/streams}) at {@code base}. */
  public static HttpRequest start(String base, String body) {
    return HttpRequest.newBuilder(URI.create(base + "/api/v1/streams"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .timeout(ANSWER_TIMEOUT)
        .build();
  }

  /** Sends every request at once and waits for every outcome, in the order sent. */
  public static List<Answer> send(HttpClient http, List<HttpRequest> requests) {
    List<CompletableFuture<Answer>> sent = new ArrayList<>(requests.size());
    long first = System.nanoTime();
    for (HttpRequest request : requests) {
      long at = System.nanoTime();
      sent.add(
          http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
              .handle(
                  (response, failure) -> {
                    long now = System.nanoTime();
                    long micros = TimeUnit.NANOSECONDS.toMicros(now - at);
                    long sinceFirst = TimeUnit.NANOSECONDS.toMicros(now - first);
                    return failure == null
                        ? new Answer(
                            response.statusCode(), response.body(), null, micros, sinceFirst)
                        : new Answer(0, "", describe(failure), micros, sinceFirst);
                  }));
    }
    return sent.stream().map(CompletableFuture::join).toList();
  }

  private static String describe(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
