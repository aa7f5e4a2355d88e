package io.tickshard.simulator;

import java.util.ArrayDeque;
import org.apache.pekko.util.ByteString;

/** What waits to be written to one client, taken whole when its connection takes more. */
final class Outbox {
  private final ArrayDeque<ByteString> queued = new ArrayDeque<>();
  private long bytes;

  void add(ByteString more) {
    queued.add(more);
    bytes += more.size();
  }

  boolean isEmpty() {
    return queued.isEmpty();
  }

  /** Bytes waiting: a client that reads too slowly has its market ticks skipped past a limit. */
  long bytes() {
    return bytes;
  }

  /** Everything waiting as one write; empty afterwards. Not to be called when empty. */
  ByteString takeAll() {
    ByteString all = queued.poll();
    while (!queued.isEmpty()) {
      all = all.concat(queued.poll());
    }
    bytes = 0;
    return all;
  }
}
