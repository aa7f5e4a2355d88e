package io.tickshard.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tickshard.service.rig.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * Another application's web server on a port of its own, serving its page
 * (src/test/resources/elsewhere/index.html). As a {@link #bufferingProxy} it also passes
 * tickshard's paths on to a node, the way a reverse proxy that buffers whole answers would: an
 * event stream never comes through (it never ends), everything else does.
 */
final class OtherOrigin implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final List<String> PASSED_ON =
      List.of("Accept", "Authorization", "Content-Type", "If-None-Match");

  private final HttpServer server;
  private final List<HttpExchange> held = new CopyOnWriteArrayList<>();

  private OtherOrigin(String node) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", FreePorts.next()), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/index.html", OtherOrigin::page);
    if (node != null) {
      server.createContext("/", exchange -> passOn(node, exchange));
    }
    server.start();
  }

  /** Serves the page only: the page reaches tickshard on tickshard's own origin. */
  static OtherOrigin page() throws IOException {
    return new OtherOrigin(null);
  }

  /** Serves the page and passes tickshard's paths on to {@code node}, buffering. */
  static OtherOrigin bufferingProxy(String node) throws IOException {
    return new OtherOrigin(node);
  }

  String origin() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private static void page(HttpExchange exchange) throws IOException {
    try (exchange;
        InputStream page = OtherOrigin.class.getResourceAsStream("/elsewhere/index.html")) {
      byte[] body = page.readAllBytes();
      exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  private void passOn(String node, HttpExchange exchange) throws IOException {
    if (exchange.getRequestURI().getRawPath().endsWith("/ticks")) {
      held.add(exchange); // waits for the end of an answer that does not end
      return;
    }
    try (exchange) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(node + exchange.getRequestURI()))
              .timeout(Duration.ofSeconds(15))
              .method(
                  exchange.getRequestMethod(),
                  HttpRequest.BodyPublishers.ofByteArray(exchange.getRequestBody().readAllBytes()));
      for (String header : PASSED_ON) {
        String value = exchange.getRequestHeaders().getFirst(header);
        if (value != null) {
          request.header(header, value);
        }
      }
      HttpResponse<byte[]> answer =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      for (String header : List.of("Content-Type", "ETag", "Cache-Control", "Location")) {
        answer
            .headers()
            .firstValue(header)
            .ifPresent(v -> exchange.getResponseHeaders().set(header, v));
      }
      byte[] body = answer.body();
      exchange.sendResponseHeaders(answer.statusCode(), body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        exchange.getResponseBody().write(body);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Event streams the proxy held back. */
  int held() {
    return held.size();
  }

  @Override
  public void close() {
    held.forEach(HttpExchange::close);
    server.stop(0);
  }
}
