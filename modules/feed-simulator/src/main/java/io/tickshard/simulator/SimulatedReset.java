package io.tickshard.simulator;

/** Fails a session's stage so that its TCP connection is aborted (reset), not closed. */
final class SimulatedReset extends RuntimeException {
  SimulatedReset(String why) {
    super(why, null, false, false);
  }
}
