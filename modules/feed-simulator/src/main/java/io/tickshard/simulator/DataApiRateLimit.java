package io.tickshard.simulator;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The broker's limit on its data APIs: {@value #PER_SECOND} requests per second per client id. A
 * sliding window of the accepted requests' times: the sixth request within any one second is
 * refused (and not counted), so a client's limiter can be checked exactly.
 */
final class DataApiRateLimit {
  static final int PER_SECOND = 5;
  private static final long WINDOW_NANOS = 1_000_000_000L;

  private final Map<String, Deque<Long>> accepted = new HashMap<>();

  /** Whether a request by {@code clientId} at {@code nanoTime} is within the limit (and counts). */
  synchronized boolean tryAcquire(String clientId, long nanoTime) {
    Deque<Long> times = accepted.computeIfAbsent(clientId, id -> new ArrayDeque<>());
    while (!times.isEmpty() && nanoTime - times.peekFirst() >= WINDOW_NANOS) {
      times.pollFirst();
    }
    if (times.size() >= PER_SECOND) {
      return false;
    }
    times.addLast(nanoTime);
    return true;
  }
}
