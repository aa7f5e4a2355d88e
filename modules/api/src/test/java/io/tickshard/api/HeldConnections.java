package io.tickshard.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Thousands of plain HTTP/1.1 connections from one thread (non-blocking NIO), for scenarios that
 * hold them open: each sends a request, its response head is read, and then it is only held. Every
 * channel it opened is closed by {@link #close()}.
 */
final class HeldConnections implements AutoCloseable {
  /**
   * A connection whose response head was read; the rest of the answer is left unread.
   *
   * @param handshake how long its connect took: a second or more means the kernel dropped its
   *     handshake and the client sent it again (the initial retransmit timeout is 1 s)
   */
  record Held(SocketChannel channel, int status, Duration handshake) {}

  /** A connection waiting for its response head. */
  private record Waiting(StringBuilder head, Duration handshake) {}

  private final InetSocketAddress server;
  private final ConcurrentLinkedQueue<SocketChannel> opened = new ConcurrentLinkedQueue<>();

  HeldConnections(URI base) {
    this.server = new InetSocketAddress("127.0.0.1", base.getPort());
  }

  /** {@code GET target} with a Host header, kept alive. */
  static String get(String target, String... headers) {
    StringBuilder request = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (String header : headers) {
      request.append(header).append("\r\n");
    }
    return request.append("\r\n").toString();
  }

  /** A connected channel, non-blocking, that nothing was sent on yet. */
  SocketChannel connect() {
    try {
      SocketChannel channel = SocketChannel.open(server);
      opened.add(channel);
      channel.configureBlocking(false);
      return channel;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Opens {@code count} connections, each sending {@code request}, with at most {@code inFlight} of
   * them waiting for their response head at any time (so the server's accept backlog never
   * overflows); answers them once every head was read, in the order they completed.
   */
  List<Held> open(int count, String request, int inFlight, Duration within) {
    byte[] bytes = request.getBytes(StandardCharsets.US_ASCII);
    List<Held> held = new ArrayList<>(count);
    long deadline = System.nanoTime() + within.toNanos();
    try (Selector selector = Selector.open()) {
      int started = 0;
      while (held.size() < count) {
        while (started < count && selector.keys().size() < inFlight) {
          long connecting = System.nanoTime();
          SocketChannel channel = connect();
          Duration handshake = Duration.ofNanos(System.nanoTime() - connecting);
          writeFully(channel, ByteBuffer.wrap(bytes));
          channel.register(
              selector, SelectionKey.OP_READ, new Waiting(new StringBuilder(), handshake));
          started++;
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "only " + held.size() + " of " + count + " response heads within " + within);
        }
        selector.select(100);
        for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
          SelectionKey key = it.next();
          it.remove();
          int status = readHead(key);
          if (status != 0) {
            key.cancel();
            Waiting waiting = (Waiting) key.attachment();
            held.add(new Held((SocketChannel) key.channel(), status, waiting.handshake()));
          }
        }
        selector.selectNow(); // flushes cancelled keys out of keys()
      }
      return held;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The status once the whole head is in, 0 before, -1 when the server closed first. */
  private static int readHead(SelectionKey key) throws IOException {
    SocketChannel channel = (SocketChannel) key.channel();
    StringBuilder head = ((Waiting) key.attachment()).head();
    ByteBuffer buffer = ByteBuffer.allocate(4096);
    int n;
    try {
      n = channel.read(buffer);
    } catch (IOException reset) {
      return -1;
    }
    if (n < 0) {
      return -1;
    }
    head.append(new String(buffer.array(), 0, n, StandardCharsets.ISO_8859_1));
    if (head.indexOf("\r\n\r\n") < 0) {
      return 0;
    }
    return Integer.parseInt(head.substring(9, 12));
  }

  /** Writes all of {@code bytes} on a non-blocking channel (a request fits its send buffer). */
  static void writeFully(SocketChannel channel, ByteBuffer bytes) throws IOException {
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
  }

  /**
   * Whether the server closed the channel: a non-blocking read sees the end of the stream or a
   * reset. Bytes the server sent (SSE keep-alives) are read and dropped on the way.
   */
  static boolean closedByServer(SocketChannel channel) {
    ByteBuffer buffer = ByteBuffer.allocate(8192);
    try {
      for (int n; (n = channel.read(buffer)) != 0; buffer.clear()) {
        if (n < 0) {
          return true;
        }
      }
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  /** Closes one channel from the client side. */
  static void hangUp(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Closing is all that was asked.
    }
  }

  /** Channels opened and not closed yet. */
  long stillOpen() {
    return opened.stream().filter(SocketChannel::isOpen).count();
  }

  @Override
  public void close() {
    for (SocketChannel channel; (channel = opened.poll()) != null; ) {
      hangUp(channel);
    }
  }
}
