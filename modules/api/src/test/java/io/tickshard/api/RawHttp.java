package io.tickshard.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * HTTP/1.1 over a plain socket, for requests {@link java.net.http.HttpClient} refuses to send (a
 * path {@link URI} will not build, like {@code %zz}) or cannot finish sending (a body the server
 * stops reading half way).
 */
final class RawHttp {
  private RawHttp() {}

  /** Status, headers (names lower-cased, first value) and body text of one answer. */
  record Answer(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /**
   * Sends {@code method target} with the given headers and body, {@code Connection: close}, and
   * reads the answer to the end. The body is written on its own thread so an answer that comes
   * before the body is fully sent (413) is still read.
   */
  static Answer send(URI base, String method, String target, List<String> headers, byte[] body) {
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(20_000);
      StringBuilder head = new StringBuilder();
      head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
      head.append("Host: ")
          .append(base.getHost())
          .append(':')
          .append(base.getPort())
          .append("\r\n");
      head.append("Connection: close\r\n");
      for (String header : headers) {
        head.append(header).append("\r\n");
      }
      if (body != null) {
        head.append("Content-Length: ").append(body.length).append("\r\n");
      }
      head.append("\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      CompletableFuture<Void> written =
          body == null
              ? CompletableFuture.completedFuture(null)
              : CompletableFuture.runAsync(
                  () -> {
                    try {
                      out.write(body);
                      out.flush();
                    } catch (IOException closedEarly) {
                      // The server answered and closed before reading everything: expected for 413.
                    }
                  });
      byte[] answer = readAll(socket.getInputStream());
      written.cancel(true);
      return parse(answer);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        all.write(buffer, 0, n);
      }
    } catch (IOException reset) {
      // A reset after the answer (the server closed with unread body bytes) keeps what was read.
      if (all.size() == 0) {
        throw reset;
      }
    }
    return all.toByteArray();
  }

  private static Answer parse(byte[] raw) {
    String text = new String(raw, StandardCharsets.UTF_8);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      throw new AssertionError("not an HTTP answer: " + text);
    }
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.putIfAbsent(
          lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).trim());
    }
    String body = text.substring(end + 4);
    String length = headers.get("content-length");
    if (length != null) {
      byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
      int n = Math.min(bodyBytes.length, Integer.parseInt(length));
      body = new String(bodyBytes, 0, n, StandardCharsets.UTF_8);
    }
    return new Answer(status, headers, body);
  }
}
