package io.tickshard.bench.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * One HTTP/1.1 response read as it arrives, in whatever pieces the socket hands over: its head (the
 * status, whether the body is chunked), then its body's bytes, passed on as they come, chunked or
 * delimited by the connection's end. For viewers without a client library behind them ({@link
 * SseCrowd}): a few counters and no copy of the body.
 */
public final class SseResponse {
  /** Receives the body's bytes, in order. */
  public interface Body {
    void bytes(byte[] bytes, int from, int to);
  }

  private enum Part {
    HEAD,
    CHUNK_SIZE,
    CHUNK_EXTENSION,
    CHUNK_DATA,
    CHUNK_END,
    PLAIN_BODY,
    ENDED
  }

  private final Body body;
  private Part part = Part.HEAD;
  private byte[] head = new byte[512];
  private int headLength;
  private int status;
  private long chunkLeft;

  public SseResponse(Body body) {
    this.body = body;
  }

  /** The response's status once its head is in, 0 before. */
  public int status() {
    return status;
  }

  /** The last chunk has come: the server ended the response. */
  public boolean ended() {
    return part == Part.ENDED;
  }

  /**
   * The next bytes of the connection.
   *
   * @throws IllegalStateException for what is not an HTTP/1.1 response
   */
  public void feed(byte[] bytes, int from, int to) {
    int i = from;
    while (i < to) {
      switch (part) {
        case HEAD -> i = readHead(bytes, i, to);
        case CHUNK_SIZE -> {
          byte b = bytes[i++];
          int digit = Character.digit(b, 16);
          if (digit >= 0) {
            chunkLeft = chunkLeft * 16 + digit;
          } else if (b == ';') {
            part = Part.CHUNK_EXTENSION;
          } else if (b == '\n') {
            endChunkSize();
          } else if (b != '\r' && b != ' ') {
            throw new IllegalStateException("not a chunk size: byte " + b);
          }
        }
        case CHUNK_EXTENSION -> {
          if (bytes[i++] == '\n') {
            endChunkSize();
          }
        }
        case CHUNK_DATA -> {
          int n = (int) Math.min(chunkLeft, to - i);
          body.bytes(bytes, i, i + n);
          i += n;
          chunkLeft -= n;
          if (chunkLeft == 0) {
            part = Part.CHUNK_END;
          }
        }
        case CHUNK_END -> {
          if (bytes[i++] == '\n') {
            part = Part.CHUNK_SIZE;
          }
        }
        case PLAIN_BODY -> {
          body.bytes(bytes, i, to);
          i = to;
        }
        case ENDED -> i = to; // trailers, if any
      }
    }
  }

  private void endChunkSize() {
    part = chunkLeft == 0 ? Part.ENDED : Part.CHUNK_DATA;
  }

  /** Takes head bytes up to its blank line; answers where the body starts, or {@code to}. */
  private int readHead(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (headLength == head.length) {
        if (head.length >= 64 * 1024) {
          throw new IllegalStateException("a response head over 64 KB");
        }
        head = Arrays.copyOf(head, head.length * 2);
      }
      head[headLength++] = bytes[i];
      if (headLength >= 4
          && head[headLength - 1] == '\n'
          && head[headLength - 2] == '\r'
          && head[headLength - 3] == '\n'
          && head[headLength - 4] == '\r') {
        parseHead(new String(head, 0, headLength, StandardCharsets.ISO_8859_1));
        head = null;
        return i + 1;
      }
    }
    return to;
  }

  private void parseHead(String text) {
    String[] lines = text.split("\r\n");
    if (!lines[0].startsWith("HTTP/1.") || lines[0].length() < 12) {
      throw new IllegalStateException("not an HTTP/1.x status line: " + lines[0]);
    }
    status = Integer.parseInt(lines[0].substring(9, 12));
    boolean chunked = false;
    for (int l = 1; l < lines.length; l++) {
      String line = lines[l].toLowerCase(Locale.ROOT);
      if (line.startsWith("transfer-encoding:") && line.contains("chunked")) {
        chunked = true;
      }
    }
    part = chunked ? Part.CHUNK_SIZE : Part.PLAIN_BODY;
  }
}
