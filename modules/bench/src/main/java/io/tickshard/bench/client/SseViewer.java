package io.tickshard.bench.client;

import io.tickshard.bench.measure.TickStamp;
import io.tickshard.bench.measure.ViewerTally;
import io.tickshard.bench.measure.Window;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.ConnectHttp;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaRanges;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.headers.Accept;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.SharedKillSwitch;
import org.apache.pekko.stream.ThrottleMode;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * One browser-like SSE viewer on a connection of its own, reading as fast as it can or, when slow,
 * at a fixed number of bytes per second (TCP back-pressure then reaches the server, as a browser on
 * a thin line would). Stamped ticks go into its {@link ViewerTally}.
 */
public final class SseViewer {
  private static final int SLICE = 256;

  private final ViewerTally tally = new ViewerTally();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Window window;
  private CompletionStage<Done> ended;
  // When the piece being read arrived: its ticks reached the viewer then. Stamping each tick as
  // it is parsed instead charged a piece's later ticks with the tool's own parsing of the earlier
  // ones, and of the other viewers' pieces queued on the tool's threads meanwhile.
  private long arrivedMicros;

  private SseViewer(Window window) {
    this.window = window;
  }

  /**
   * Opens {@code path} on {@code port}; {@code bytesPerSecond} 0 reads at full speed. The stream
   * ends when {@code stop} is shut down or the server ends it.
   */
  public static SseViewer open(
      ActorSystem system,
      int port,
      String path,
      int bytesPerSecond,
      Window window,
      SharedKillSwitch stop) {
    SseViewer viewer = new SseViewer(window);
    SseLines lines = new SseLines(viewer::onEvent);
    HttpRequest request =
        HttpRequest.GET(path)
            .addHeader(Accept.create(MediaRanges.create(MediaTypes.TEXT_EVENT_STREAM)));
    viewer.ended =
        Source.single(request)
            .via(Http.get(system).outgoingConnection(ConnectHttp.toHost("127.0.0.1", port)))
            .runWith(Sink.head(), system)
            .thenCompose(
                response -> {
                  if (response.status().intValue() != 200) {
                    response.discardEntityBytes(system);
                    throw new IllegalStateException(
                        path + " answered " + response.status().intValue());
                  }
                  return read(system, response, bytesPerSecond, stop)
                      .runForeach(
                          chunk -> {
                            viewer.arrivedMicros = TickStamp.nowMicros();
                            byte[] bytes = chunk.toArrayUnsafe();
                            lines.feed(bytes, 0, bytes.length);
                          },
                          system);
                })
            .whenComplete(
                (done, error) -> {
                  if (error != null) {
                    viewer.failure.set(error);
                  }
                });
    return viewer;
  }

  private static Source<ByteString, ?> read(
      ActorSystem system, HttpResponse response, int bytesPerSecond, SharedKillSwitch stop) {
    Source<ByteString, ?> bytes = response.entity().getDataBytes().via(stop.flow());
    if (bytesPerSecond <= 0) {
      return bytes;
    }
    return bytes
        .mapConcat(SseViewer::slices)
        .throttle(
            bytesPerSecond,
            Duration.ofSeconds(1),
            bytesPerSecond,
            ByteString::size,
            ThrottleMode.shaping())
        // One slice in flight: what the throttle holds back stays in the kernel's buffers.
        .buffer(1, OverflowStrategy.backpressure());
  }

  private static List<ByteString> slices(ByteString chunk) {
    List<ByteString> slices = new ArrayList<>(chunk.size() / SLICE + 1);
    for (int at = 0; at < chunk.size(); at += SLICE) {
      slices.add(chunk.slice(at, Math.min(chunk.size(), at + SLICE)));
    }
    return slices;
  }

  private void onEvent(String name, byte[] data, int length) {
    if (!name.equals("tick")) {
      return;
    }
    TickStamp stamp = TickStamp.parse(data, length);
    if (stamp != null) {
      tally.observe(stamp, arrivedMicros, window);
    }
  }

  public ViewerTally tally() {
    return tally;
  }

  /** Why the viewer's stream failed, if it did. */
  public Throwable failure() {
    return failure.get();
  }

  public CompletionStage<Done> ended() {
    return ended;
  }

  /** Ends every viewer opened with {@code stop} at once. */
  public static SharedKillSwitch stopSwitch(String name) {
    return KillSwitches.shared(name);
  }
}
