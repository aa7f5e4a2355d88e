package io.tickshard.redis;

import io.tickshard.streams.ticks.Tick;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The ticks waiting for Redis on this node, bounded: the feed threads {@link #offer} and never
 * wait; when it is full the oldest tick makes room (for a price feed the newest matter), and the
 * drop is counted. The writer's thread alone {@link #take}s.
 */
final class TickQueue {
  /** Told of each tick that made room. */
  interface Drops {
    void dropped();
  }

  private final ArrayBlockingQueue<Tick> ticks;
  private final Drops drops;

  TickQueue(int capacity, Drops drops) {
    this.ticks = new ArrayBlockingQueue<>(capacity);
    this.drops = drops;
  }

  /** Adds the tick at once, dropping the oldest ones while the queue is full. */
  void offer(Tick tick) {
    while (!ticks.offer(tick)) {
      if (ticks.poll() != null) {
        drops.dropped();
      }
    }
  }

  /**
   * Up to {@code max} ticks, oldest first: waits up to {@code wait} for the first, then takes what
   * is there. Empty when none came.
   */
  List<Tick> take(int max, Duration wait) throws InterruptedException {
    Tick first = ticks.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
    if (first == null) {
      return List.of();
    }
    List<Tick> batch = new ArrayList<>(Math.min(max, ticks.size() + 1));
    batch.add(first);
    ticks.drainTo(batch, max - 1);
    return batch;
  }

  int size() {
    return ticks.size();
  }
}
