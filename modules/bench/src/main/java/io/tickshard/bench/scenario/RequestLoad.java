package io.tickshard.bench.scenario;

import io.tickshard.bench.measure.ViewerTally;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;

/**
 * Closed-loop load: {@code clients} threads, each sending the request again as soon as its answer
 * is in, over kept-alive HTTP/1.1 connections; latencies recorded once the warm-up is over.
 */
final class RequestLoad {
  record Result(Histogram latency, long requests, long errors, double seconds) {
    double perSecond() {
      return requests / seconds;
    }
  }

  private RequestLoad() {}

  static Result run(int clients, HttpRequest request, Duration warmup, Duration duration)
      throws InterruptedException {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    AtomicBoolean measuring = new AtomicBoolean();
    AtomicBoolean done = new AtomicBoolean();
    List<Histogram> latencies = new ArrayList<>();
    long[] requests = new long[clients];
    long[] errors = new long[clients];
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      Histogram latency = ViewerTally.newHistogram();
      latencies.add(latency);
      int client = c;
      Thread thread =
          new Thread(
              () -> {
                while (!done.get()) {
                  long start = System.nanoTime();
                  boolean ok;
                  try {
                    int status =
                        http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                    ok = status >= 200 && status < 300;
                  } catch (Exception e) {
                    ok = false;
                  }
                  if (measuring.get() && !done.get()) {
                    latency.recordValue(
                        Math.min(
                            latency.getHighestTrackableValue(),
                            TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start)));
                    requests[client]++;
                    if (!ok) {
                      errors[client]++;
                    }
                  }
                }
              },
              "client-" + c);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
    Thread.sleep(warmup.toMillis());
    long start = System.nanoTime();
    measuring.set(true);
    Thread.sleep(duration.toMillis());
    done.set(true);
    double seconds = (System.nanoTime() - start) / 1e9;
    for (Thread thread : threads) {
      thread.join(30_000);
    }
    Histogram all = ViewerTally.newHistogram();
    latencies.forEach(all::add);
    long total = 0;
    long failed = 0;
    for (int c = 0; c < clients; c++) {
      total += requests[c];
      failed += errors[c];
    }
    return new Result(all, total, failed, seconds);
  }
}
