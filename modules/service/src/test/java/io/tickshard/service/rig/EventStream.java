package io.tickshard.service.rig;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A key's event stream on one node (docs/api.md, "Live ticks"), its lines handed over as they come
 * on a thread of its own (reading blocks until the stream ends), until the node ends it or {@link
 * #close} does.
 */
final class EventStream implements AutoCloseable {
  private final CompletableFuture<HttpResponse<Stream<String>>> response;

  EventStream(NodeProcess node, String key, String readerName, Consumer<String> lines) {
    response =
        StreamsApi.HTTP.sendAsync(
            HttpRequest.newBuilder(URI.create(node.api() + StreamsApi.path(key) + "/ticks"))
                .header("Accept", "text/event-stream")
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    Thread reader = new Thread(() -> read(lines), readerName);
    reader.setDaemon(true);
    reader.start();
  }

  private void read(Consumer<String> lines) {
    try {
      response.join().body().forEach(lines);
    } catch (UncheckedIOException | CompletionException | IllegalStateException closed) {
      // close() ended the stream under the reader (or before it began to read: the lines' stream
      // is then closed), or the node went away. Left uncaught, Awaitility would report it as the
      // failure of whatever the test awaits next.
    }
  }

  /** The HTTP status of the answer (waits for it). */
  int status() {
    return response.join().statusCode();
  }

  @Override
  public void close() {
    response.thenAccept(
        answer -> {
          try {
            answer.body().close();
          } catch (UncheckedIOException closedUnderTheReader) {
            // nothing left to read either way
          }
        });
  }
}
