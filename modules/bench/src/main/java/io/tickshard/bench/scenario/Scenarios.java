package io.tickshard.bench.scenario;

import java.util.List;

/** The scenarios the tool offers, as subcommands. */
public final class Scenarios {
  private Scenarios() {}

  public static List<Object> all() {
    return List.of(
        new TickLatency(), new FanOut(), new ControlPlane(), new StartStorm(), new Capacity());
  }
}
