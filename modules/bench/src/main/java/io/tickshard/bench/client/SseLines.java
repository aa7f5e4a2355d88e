package io.tickshard.bench.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a text/event-stream as it arrives, chunk by chunk, and hands each event's name and data on
 * as bytes; comment lines (keep-alives) are counted. Bytes rather than strings: the viewers of a
 * run read a hundred thousand events a second on the machine being measured, and what the tool
 * spends is taken from the servers it measures. One per viewer, fed in order.
 */
public final class SseLines {
  /** Receives an event: its name, and its data (the bytes of its data lines, joined by \n). */
  public interface Events {
    void event(String name, byte[] data, int length);
  }

  private static final byte[] EVENT = "event:".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);

  private final Events events;
  private byte[] line = new byte[1024];
  private int lineLength;
  private byte[] data = new byte[1024];
  private int dataLength = -1;
  private String name = "message";
  private long comments;

  public SseLines(Events events) {
    this.events = events;
  }

  public void feed(byte[] bytes, int from, int to) {
    int start = from;
    while (start < to) {
      int end = start;
      boolean returns = false;
      while (end < to && bytes[end] != '\n') {
        returns |= bytes[end] == '\r';
        end++;
      }
      append(bytes, start, end, returns);
      if (end == to) {
        return; // the line goes on in the next piece
      }
      endLine();
      start = end + 1;
    }
  }

  /** Adds to the line being read, a run of bytes at once; a \r is dropped wherever it is. */
  private void append(byte[] bytes, int from, int to, boolean returns) {
    int length = to - from;
    if (lineLength + length > line.length) {
      line = Arrays.copyOf(line, Math.max(lineLength + length, line.length * 2));
    }
    if (!returns) {
      System.arraycopy(bytes, from, line, lineLength, length);
      lineLength += length;
      return;
    }
    for (int i = from; i < to; i++) {
      if (bytes[i] != '\r') {
        line[lineLength++] = bytes[i];
      }
    }
  }

  public void feed(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    feed(bytes, 0, bytes.length);
  }

  private void endLine() {
    if (lineLength == 0) {
      if (dataLength >= 0) {
        events.event(name, data, dataLength);
      }
      name = "message";
      dataLength = -1;
    } else if (line[0] == ':') {
      comments++;
    } else if (startsWith(EVENT)) {
      name =
          new String(line, EVENT.length, lineLength - EVENT.length, StandardCharsets.UTF_8).strip();
    } else if (startsWith(DATA)) {
      int from = DATA.length + (lineLength > DATA.length && line[DATA.length] == ' ' ? 1 : 0);
      appendData(from);
    }
    lineLength = 0;
  }

  private void appendData(int from) {
    int length = lineLength - from;
    int needed = (dataLength < 0 ? 0 : dataLength + 1) + length;
    if (needed > data.length) {
      data = Arrays.copyOf(data, Math.max(needed, data.length * 2));
    }
    if (dataLength < 0) {
      dataLength = 0;
    } else {
      data[dataLength++] = '\n';
    }
    System.arraycopy(line, from, data, dataLength, length);
    dataLength += length;
  }

  private boolean startsWith(byte[] prefix) {
    if (lineLength < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (line[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  public long comments() {
    return comments;
  }
}
