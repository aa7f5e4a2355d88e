package io.tickshard.streams.market;

import com.typesafe.config.Config;
import java.nio.file.Path;
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

  /**
   * The hours {@code tickshard.market-hours} names: {@code always}, or {@code nse} with the
   * holidays in {@code tickshard.market-holidays-file}.
   */
  static MarketHours fromConfig(Config config) {
    String name = config.getString("tickshard.market-hours");
    return switch (name) {
      case "always" -> always();
      case "nse" ->
          NseMarketHours.fromFile(Path.of(config.getString("tickshard.market-holidays-file")));
      default ->
          throw new IllegalArgumentException(
              "tickshard.market-hours must be 'always' or 'nse', not '" + name + "'");
    };
  }

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
