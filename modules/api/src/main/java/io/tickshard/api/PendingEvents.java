package io.tickshard.api;

import io.tickshard.streams.ticks.FeedNotice;
import io.tickshard.streams.ticks.Tick;
import io.tickshard.streams.ticks.TickBatch;
import io.tickshard.streams.ticks.ViewerEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What waits for one viewer until its connection takes it. Up to {@code inOrder} ticks are kept as
 * they came, whole batches and notices in order, so a viewer that keeps up (whose connection takes
 * a burst while the next is on its way) misses nothing. Past that the viewer is behind, and what
 * waits is conflated: the latest value of every field per instrument, and the latest word on the
 * feed (a stop is never replaced), in the order they first came. Either way what a viewer holds is
 * bounded by its key's instruments, never by how many events a burst brings; and a slow viewer sees
 * fewer, fresher ticks, and slows no one.
 *
 * <p>Not thread-safe: its {@link ViewerFeed} guards it.
 */
final class PendingEvents {
  private static final Object NOTICE = new Object();

  private final int inOrder;
  private List<ViewerEvent> events = new ArrayList<>(2);
  private int ticks;
  private Map<Object, Object> latest;
  private boolean stopped;

  /**
   * @param inOrder ticks kept as they came before conflating: at least the key's instruments
   */
  PendingEvents(int inOrder) {
    this.inOrder = inOrder;
  }

  /** Adds the event; says whether nothing was waiting before. Nothing is added after a stop. */
  boolean add(ViewerEvent event) {
    if (stopped) {
      return false;
    }
    boolean wasEmpty = isEmpty();
    stopped = event instanceof FeedNotice notice && notice.stopped();
    if (latest != null) {
      put(event);
      return wasEmpty;
    }
    events.add(event);
    if (event instanceof TickBatch batch) {
      ticks += batch.size();
      if (ticks > inOrder) {
        conflate();
      }
    }
    return wasEmpty;
  }

  /** Behind: what waits is conflated, until drained. */
  boolean conflated() {
    return latest != null;
  }

  boolean isEmpty() {
    return latest == null ? events.isEmpty() : latest.isEmpty();
  }

  /** Everything waiting, in order, conflated ticks as batches of their own; empty afterwards. */
  List<ViewerEvent> drain() {
    List<ViewerEvent> drained = latest == null ? events : unconflated();
    events = new ArrayList<>(2);
    ticks = 0;
    latest = null;
    return drained;
  }

  private void conflate() {
    latest = new LinkedHashMap<>();
    events.forEach(this::put);
    events.clear();
  }

  private void put(ViewerEvent event) {
    if (event instanceof TickBatch batch) {
      for (Tick tick : batch.ticks()) {
        latest.merge(tick.instrument(), tick, (older, newer) -> ((Tick) newer).over((Tick) older));
      }
    } else if (event instanceof FeedNotice notice) {
      latest.merge(
          NOTICE, notice, (older, newer) -> ((FeedNotice) older).stopped() ? older : newer);
    }
  }

  private List<ViewerEvent> unconflated() {
    List<ViewerEvent> out = new ArrayList<>();
    List<Tick> run = new ArrayList<>();
    for (Object value : latest.values()) {
      if (value instanceof Tick tick) {
        run.add(tick);
      } else {
        if (!run.isEmpty()) {
          out.add(new TickBatch(run));
          run.clear();
        }
        out.add((FeedNotice) value);
      }
    }
    if (!run.isEmpty()) {
      out.add(new TickBatch(run));
    }
    return out;
  }
}
