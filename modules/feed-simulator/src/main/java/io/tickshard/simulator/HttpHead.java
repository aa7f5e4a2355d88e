package io.tickshard.simulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.util.ByteString;

/** The request line and headers of an HTTP/1.1 request, which is all the simulator reads. */
record HttpHead(
    String method, String path, Map<String, String> query, Map<String, String> headers) {

  static final ByteString END = ByteString.fromString("\r\n\r\n");

  /** Parses the bytes before the blank line; empty when they are not an HTTP/1.x request. */
  static Optional<HttpHead> parse(String head) {
    String[] lines = head.split("\r\n");
    String[] requestLine = lines[0].split(" ");
    if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.")) {
      return Optional.empty();
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon <= 0) {
        return Optional.empty();
      }
      headers.put(
          lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).trim());
    }
    String target = requestLine[1];
    int question = target.indexOf('?');
    String path = question < 0 ? target : target.substring(0, question);
    Map<String, String> query = new LinkedHashMap<>();
    if (question >= 0) {
      for (String pair : target.substring(question + 1).split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        try {
          query.put(
              decode(eq < 0 ? pair : pair.substring(0, eq)),
              eq < 0 ? "" : decode(pair.substring(eq + 1)));
        } catch (IllegalArgumentException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.of(new HttpHead(requestLine[0], path, query, headers));
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  String header(String name) {
    return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
  }

  boolean isWebSocketUpgrade() {
    return "GET".equals(method)
        && header("upgrade").equalsIgnoreCase("websocket")
        && header("connection").toLowerCase(Locale.ROOT).contains("upgrade")
        && !header("sec-websocket-key").isEmpty();
  }

  static ByteString response(int status, String reason, String contentType, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return ByteString.fromString(
            "HTTP/1.1 "
                + status
                + " "
                + reason
                + "\r\nContent-Type: "
                + contentType
                + "\r\nContent-Length: "
                + bytes.length
                + "\r\nConnection: close\r\n\r\n")
        .concat(ByteString.fromArrayUnsafe(bytes));
  }

  static ByteString switchingProtocols(String clientKey) {
    return ByteString.fromString(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: "
            + WebSocketFrames.acceptKey(clientKey)
            + "\r\n\r\n");
  }
}
