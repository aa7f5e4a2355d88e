package io.tickshard.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/** Reads a text/event-stream with the JDK's HTTP client, collecting named events. */
final class SseClient implements AutoCloseable {
  /** One event; {@code retry} its {@code retry:} field, null when it had none. */
  record Event(String name, String data, String retry) {}

  final List<Event> events = new CopyOnWriteArrayList<>();

  /** Completes when the server ends the response. */
  final CompletableFuture<Void> ended = new CompletableFuture<>();

  final CompletableFuture<HttpResponse<Stream<String>>> response;

  SseClient(URI url) {
    response =
        HttpClient.newHttpClient()
            .sendAsync(
                HttpRequest.newBuilder(url).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines());
    response.thenAcceptAsync(this::read);
  }

  private void read(HttpResponse<Stream<String>> answer) {
    try {
      readEvents(answer);
    } finally {
      ended.complete(null);
    }
  }

  private void readEvents(HttpResponse<Stream<String>> answer) {
    String[] name = {null};
    String[] retry = {null};
    StringBuilder data = new StringBuilder();
    answer
        .body()
        .forEach(
            line -> {
              if (line.isEmpty()) {
                if (data.length() > 0) {
                  events.add(
                      new Event(name[0] == null ? "message" : name[0], data.toString(), retry[0]));
                }
                name[0] = null;
                retry[0] = null;
                data.setLength(0);
              } else if (line.startsWith("event:")) {
                name[0] = line.substring(6).trim();
              } else if (line.startsWith("retry:")) {
                retry[0] = line.substring(6).trim();
              } else if (line.startsWith("data:")) {
                data.append(data.length() > 0 ? "\n" : "").append(line.substring(5).trim());
              }
            });
  }

  List<Event> named(String name) {
    return events.stream().filter(e -> e.name().equals(name)).toList();
  }

  @Override
  public void close() {
    response.thenAccept(answer -> answer.body().close());
    response.cancel(true);
  }
}
