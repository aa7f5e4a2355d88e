package io.tickshard.streams.upstream;

import java.util.Locale;

/**
 * Why a socket was lost, as the reconnects metric counts it (a bounded label; NodeMetrics starts
 * each at 0).
 */
enum LostBy {
  HANDSHAKE,
  SEND_FAILED,
  CONNECT_FAILED,
  BROKER_DISCONNECT,
  CLOSED,
  STALE,
  RESTART;

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
