package io.tickshard.streams;

import java.time.Instant;
import java.util.Optional;

/** When streams may run. */
public interface MarketHours {

  boolean isOpen(Instant at);

  /** The next time the market opens after {@code at}; empty when it never closes. */
  Optional<Instant> nextOpen(Instant at);

  /** The next time the market closes after {@code at}; empty when it never closes. */
  Optional<Instant> nextClose(Instant at);

  /** A short name for logs and status: {@code always} or {@code nse}. */
  String name();

  /** Always open: the simulator's default. */
  static MarketHours always() {
    return new MarketHours() {
      @Override
      public boolean isOpen(Instant at) {
        return true;
      }

      @Override
      public Optional<Instant> nextOpen(Instant at) {
        return Optional.empty();
      }

      @Override
      public Optional<Instant> nextClose(Instant at) {
        return Optional.empty();
      }

      @Override
      public String name() {
        return "always";
      }
    };
  }
}
