package io.tickshard.api;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tick viewers (SSE) this node serves at once, up to {@code tickshard.api.max-sse-viewers}.
 * Viewers need no token: without a limit anyone could hold every connection of the node, and REST
 * calls would find none left.
 *
 * <p>A viewer leaves in many ways (the browser closes, the response is dropped before it is sent,
 * the node shuts down) and more than one of them can be reported for the same viewer; its {@link
 * Seat} remembers that it was given back, so the count goes down exactly once.
 */
final class ViewerSeats {
  private final int limit;
  private final AtomicInteger taken = new AtomicInteger();

  ViewerSeats(int limit) {
    this.limit = limit;
  }

  /** A seat, or empty when all are taken; the count never goes above the limit, even briefly. */
  Optional<Seat> take() {
    int before = taken.getAndUpdate(n -> n < limit ? n + 1 : n);
    return before < limit ? Optional.of(new Seat()) : Optional.empty();
  }

  int taken() {
    return taken.get();
  }

  int limit() {
    return limit;
  }

  final class Seat {
    private final AtomicBoolean givenBack = new AtomicBoolean();

    private Seat() {}

    /** Idempotent: the first call frees the seat, later ones do nothing. */
    void giveBack() {
      if (givenBack.compareAndSet(false, true)) {
        taken.decrementAndGet();
      }
    }
  }
}
