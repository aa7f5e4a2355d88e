package io.tickshard.bench.client;

import io.tickshard.bench.measure.TickSequences;
import io.tickshard.bench.measure.TickStamp;
import io.tickshard.bench.measure.ViewerPace;
import io.tickshard.bench.measure.Window;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Thousands of SSE viewers of one server from a few threads: each a plain non-blocking socket
 * (NIO), its response read as it arrives ({@link SseResponse}, {@link SseLines}), its stamped ticks
 * counted in a {@link ViewerPace}. A viewer costs a few KB and no thread, where an {@link
 * SseViewer} costs a client stream of its own: what the tool spends on its viewers is taken from
 * the node it measures, on the same cores.
 */
public final class SseCrowd implements AutoCloseable {
  /** How far a viewer got. */
  public enum State {
    /** Connecting, or waiting for its answer and first event. */
    OPENING,
    /** Answered 200 and got its snapshot; still open. */
    VIEWING,
    /** Answered another status (503 when the node's viewer seats are taken). */
    REFUSED,
    /** Could not connect, no answer in time, or its stream was cut or ended. */
    LOST
  }

  /** Viewers waiting for their answer at once: pekko-http's accept backlog is 100. */
  private static final int IN_FLIGHT = 64;

  private final InetSocketAddress server;
  private final List<Loop> loops = new ArrayList<>();
  private final List<Viewer> viewers = new ArrayList<>();
  private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
  private volatile Histogram latencies = newLatencies();

  /** Viewers of {@code 127.0.0.1:port}, served by {@code threads} threads. */
  public SseCrowd(int port, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("at least one thread");
    }
    this.server = new InetSocketAddress("127.0.0.1", port);
    for (int t = 0; t < threads; t++) {
      loops.add(new Loop("sse-crowd-" + t));
    }
  }

  /**
   * Opens a viewer of each path, a few at a time; answers them once each is viewing, refused or
   * lost, at the latest after {@code within} (those still opening then are lost).
   */
  public List<Viewer> open(List<String> paths, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    CountDownLatch settled = new CountDownLatch(paths.size());
    List<Viewer> opened = new ArrayList<>(paths.size());
    for (String path : paths) {
      Viewer viewer = new Viewer(path, loops.get(viewers.size() % loops.size()), settled);
      viewers.add(viewer);
      opened.add(viewer);
      if (inFlight.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        viewer.admitted = true;
        viewer.loop.run(() -> viewer.connect(server));
      } else {
        viewer.become(State.LOST, "not opened within " + within);
      }
    }
    if (!settled.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
      for (Viewer viewer : opened) {
        if (viewer.become(State.LOST, "no answer within " + within)) {
          viewer.loop.run(viewer::close);
        }
      }
    }
    return opened;
  }

  /**
   * Starts counting every viewer's ticks afresh for {@code window}: a new {@link ViewerPace} each,
   * sharing a new latency histogram.
   */
  public void count(Window window) {
    Histogram shared = newLatencies();
    latencies = shared;
    for (Viewer viewer : viewers) {
      viewer.pace = new ViewerPace(window, shared);
    }
  }

  /** Every viewer opened so far, in the order they were. */
  public List<Viewer> viewers() {
    return List.copyOf(viewers);
  }

  /** The latencies of the ticks counted since {@link #count}, in microseconds. */
  public Histogram latencies() {
    return latencies.copy();
  }

  /** Closes every viewer and stops the threads. */
  @Override
  public void close() throws InterruptedException {
    for (Loop loop : loops) {
      loop.stop();
    }
    for (Loop loop : loops) {
      loop.thread.join(10_000);
    }
  }

  private static Histogram newLatencies() {
    return new ConcurrentHistogram(120_000_000L, 3);
  }

  /** One viewer: its state for anyone, its socket and parsers for its thread only. */
  public final class Viewer {
    private final String path;
    private final Loop loop;
    private final CountDownLatch settled;
    private final AtomicReference<State> state = new AtomicReference<>(State.OPENING);
    private volatile String problem;
    private volatile ViewerPace pace;

    /** It holds one of the in-flight places until it has its answer. */
    private volatile boolean admitted;

    private final TickSequences sequences = new TickSequences();
    private final SseLines lines = new SseLines(this::event);
    private final SseResponse response = new SseResponse(this::body);
    private SocketChannel channel;
    private long receivedMicros;

    private Viewer(String path, Loop loop, CountDownLatch settled) {
      this.path = path;
      this.loop = loop;
      this.settled = settled;
    }

    public String path() {
      return path;
    }

    public State state() {
      return state.get();
    }

    /** Why it was refused or lost. */
    public String problem() {
      return problem;
    }

    /** Its ticks since {@link SseCrowd#count}; null before. */
    public ViewerPace pace() {
      return pace;
    }

    /** Moves on from opening (to any state) or from viewing (to lost); answers whether it moved. */
    private boolean become(State next, String why) {
      State was =
          state.getAndUpdate(
              now ->
                  now == State.OPENING || (now == State.VIEWING && next == State.LOST)
                      ? next
                      : now);
      boolean moved = was == State.OPENING || (was == State.VIEWING && next == State.LOST);
      if (moved && why != null) {
        problem = why;
      }
      if (was == State.OPENING && moved) {
        if (admitted) {
          inFlight.release();
        }
        settled.countDown();
      }
      return moved;
    }

    private void connect(InetSocketAddress to) {
      try {
        channel = SocketChannel.open();
        channel.configureBlocking(false);
        if (channel.connect(to)) {
          channel.register(loop.selector, SelectionKey.OP_READ, this);
          send();
        } else {
          channel.register(loop.selector, SelectionKey.OP_CONNECT, this);
        }
      } catch (IOException e) {
        lose("could not connect: " + e);
      }
    }

    private void connected(SelectionKey key) throws IOException {
      if (channel.finishConnect()) {
        key.interestOps(SelectionKey.OP_READ);
        send();
      }
    }

    private void send() throws IOException {
      ByteBuffer request =
          ByteBuffer.wrap(
              ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      for (int tries = 0; request.hasRemaining(); tries++) {
        if (tries == 100) {
          throw new IOException("could not send the request");
        }
        channel.write(request);
      }
    }

    private void read(ByteBuffer buffer) throws IOException {
      buffer.clear();
      int n = channel.read(buffer);
      if (n < 0) {
        lose("closed by the server");
        return;
      }
      receivedMicros = TickStamp.nowMicros();
      response.feed(buffer.array(), 0, n);
      if (response.status() != 0 && response.status() != 200) {
        become(State.REFUSED, "answered " + response.status());
        close();
      } else if (response.ended()) {
        lose("the server ended its response");
      }
    }

    private void body(byte[] bytes, int from, int to) {
      if (response.status() == 200) {
        lines.feed(bytes, from, to);
      }
    }

    private void event(String name, byte[] data, int length) {
      switch (name) {
        case "snapshot" -> become(State.VIEWING, null);
        case "tick" -> {
          TickStamp stamp = TickStamp.parse(data, length);
          if (stamp != null) {
            long skipped = sequences.follow(stamp);
            ViewerPace counting = pace;
            if (counting != null) {
              counting.observe(stamp, skipped, receivedMicros);
            }
          }
        }
        case "stopped" -> lose("its stream stopped");
        default -> {
          // feed notices: not what is measured
        }
      }
    }

    private void lose(String why) {
      become(State.LOST, why);
      close();
    }

    private void close() {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // closing: nothing left to do with it
        }
      }
    }
  }

  /** One thread and its selector, serving its share of the viewers. */
  private static final class Loop {
    private final Selector selector;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private final Thread thread;
    private volatile boolean running = true;

    Loop(String name) {
      try {
        selector = Selector.open();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      thread = new Thread(this::serve, name);
      thread.setDaemon(true);
      thread.start();
    }

    /** Runs {@code task} on this loop's thread: a channel is only touched there. */
    void run(Runnable task) {
      tasks.add(task);
      selector.wakeup();
    }

    void stop() {
      running = false;
      selector.wakeup();
    }

    private void handle(SelectionKey key) {
      Viewer viewer = (Viewer) key.attachment();
      try {
        if (key.isConnectable()) {
          viewer.connected(key);
        } else if (key.isReadable()) {
          viewer.read(buffer);
        }
      } catch (IOException | RuntimeException e) {
        viewer.lose(e.toString());
      }
    }

    private void serve() {
      try {
        while (running) {
          // Each ready key handed over as it is found: no set of selected keys to fill and empty.
          selector.select(this::handle, 1_000);
          for (Runnable task; (task = tasks.poll()) != null; ) {
            task.run();
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        for (SelectionKey key : selector.keys()) {
          try {
            key.channel().close();
          } catch (IOException ignored) {
            // closing everything: go on with the rest
          }
        }
        try {
          selector.close();
        } catch (IOException ignored) {
          // the thread ends anyway
        }
      }
    }
  }
}
