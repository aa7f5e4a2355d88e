package io.tickshard.streams.upstream;

import io.tickshard.feed.DisconnectPacket;
import io.tickshard.feed.FeedDecoder;
import io.tickshard.feed.FeedPacket;
import io.tickshard.feed.FrameListener;
import io.tickshard.feed.MalformedFrame;
import io.tickshard.feed.MarketPacket;
import io.tickshard.streams.NodeName;
import io.tickshard.streams.broker.Broker;
import io.tickshard.streams.metrics.NodeMetrics;
import io.tickshard.streams.ticks.Tick;
import io.tickshard.streams.upstream.FeedConnection.Command;
import io.tickshard.streams.upstream.FeedConnection.GetSnapshotOf;
import io.tickshard.streams.upstream.FeedConnection.Heartbeat;
import io.tickshard.streams.upstream.FeedConnection.Resubscribe;
import io.tickshard.streams.upstream.FeedConnection.Snapshot;
import io.tickshard.streams.upstream.FeedConnection.Update;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;

/**
 * What every state of a {@link FeedConnection} shares: whom it tells and where its ticks go, its
 * settings and timers, and what outlives any one socket — the latest values, the figures, the
 * subscription the next connect sends. Its few mutable parts change on the actor's thread only.
 */
final class FeedContext {
  final ActorContext<Command> actor;
  final TimerScheduler<Command> timers;
  final FeedSettings settings;
  final ActorRef<Update> parent;
  final String label;
  final String node;
  final Broker broker;
  final NodeMetrics metrics;
  private final TickSink sink;

  /** The longest a batch gathers: ticks wait for at most this much decoding of later ones. */
  static final long BATCH_WINDOW_NANOS = 1_000_000;

  private final FeedDecoder decoder = new FeedDecoder();
  private final LatestValues latest = new LatestValues();
  private final EnumSet<MalformedFrame.Kind> reportedMalformed =
      EnumSet.noneOf(MalformedFrame.Kind.class);

  /** Shared with the next incarnation should a supervisor restart the connection. */
  private final AtomicReference<FeedSubscription> subscription;

  private long ticks;
  private Instant lastTickAt;
  private int reconnects;

  FeedContext(
      ActorContext<Command> actor,
      TimerScheduler<Command> timers,
      AtomicReference<FeedSubscription> subscription,
      FeedSettings settings,
      TickSink sink,
      ActorRef<Update> parent) {
    this.actor = actor;
    this.timers = timers;
    this.subscription = subscription;
    this.label = subscription.get().label();
    this.settings = settings;
    this.sink = sink;
    this.parent = parent;
    this.node = NodeName.of(actor.getSystem());
    this.broker = Broker.get(actor.getSystem());
    this.metrics = NodeMetrics.get(actor.getSystem());
  }

  Logger log() {
    return actor.getLog();
  }

  /** What a connect subscribes: the last {@link Resubscribe}'s, else the first. */
  FeedSubscription subscription() {
    return subscription.get();
  }

  /** What every connect from now on subscribes. */
  void subscribeFromNowOn(FeedSubscription next) {
    subscription.set(next);
  }

  /** Off the socket, a change is only kept: the next connect subscribes it whole. */
  Behavior<Command> keep(Resubscribe change) {
    subscribeFromNowOn(change.next());
    return Behaviors.same();
  }

  Behavior<Command> answer(GetSnapshotOf get) {
    get.replyTo().tell(new Snapshot(latest.snapshot(get.instruments())));
    return Behaviors.same();
  }

  /** Counts a lost socket, by why. */
  void countLoss(LostBy by) {
    metrics.reconnects.labelValues(by.label()).inc();
    reconnects++;
  }

  Heartbeat heartbeat(Instant at) {
    return new Heartbeat(at, ticks, lastTickAt, reconnects);
  }

  /** The actor stopped or is being restarted, its socket (if any) aborted already. */
  Behavior<Command> stopped() {
    log().info("{} on {}: feed connection closed", label, node);
    return Behaviors.same();
  }

  /**
   * Publishes the ticks of every frame that has arrived on {@code link}: what they bring for each
   * key as one batch per {@link #BATCH_WINDOW_NANOS} of decoding at most, so a large burst's first
   * ticks do not wait for its last; notes on the link when a frame last arrived and any disconnect.
   */
  void decode(FeedLink link) {
    long[] windowFrom = {System.nanoTime()};
    link.takeFrames(
        bytes -> {
          decode(link, bytes);
          long now = System.nanoTime();
          if (now - windowFrom[0] >= BATCH_WINDOW_NANOS) {
            sink.flush();
            windowFrom[0] = now;
          }
        });
    sink.flush();
  }

  private void decode(FeedLink link, ByteString bytes) {
    Instant now = Instant.now();
    link.frameAt(now);
    // The protocol is little-endian: order the view so the decoder need not copy it.
    decoder.decode(
        bytes.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN),
        new FrameListener() {
          @Override
          public void onPacket(FeedPacket packet) {
            if (packet instanceof MarketPacket market) {
              Tick tick = Tick.from(market, now);
              latest.update(tick);
              sink.publish(tick);
              ticks++;
              metrics.ticksReceived.inc();
              lastTickAt = now;
            } else if (packet instanceof DisconnectPacket disconnect) {
              link.disconnectedWith(disconnect.reasonCode());
            }
          }

          @Override
          public void onMalformed(MalformedFrame malformed) {
            metrics
                .malformedFrames
                .labelValues(malformed.kind().name().toLowerCase(Locale.ROOT))
                .inc();
            if (reportedMalformed.add(malformed.kind())) {
              log()
                  .warn(
                      "{} on {}: skipped a malformed frame ({}: {}); further ones of this"
                          + " kind are only counted",
                      label,
                      node,
                      malformed.kind(),
                      malformed.reason());
            }
          }
        });
  }
}
