package io.tickshard.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.Instrument;
import org.junit.jupiter.api.Test;

/** The simulated market starts known instruments near their own price level. */
class ReferencePricesTest {
  @Test
  void the_nifty_50_shares_and_the_main_indices_start_at_their_reference_levels() {
    assertThat(ReferencePrices.size()).isEqualTo(54);
    MarketWalk hdfcBank = new MarketWalk(Instrument.of(ExchangeSegment.NSE_EQ, 1333), 7);
    assertThat(hdfcBank.previousClose().previousClose()).isCloseTo(794.70f, within());
    MarketWalk nifty = new MarketWalk(Instrument.of(ExchangeSegment.IDX_I, 13), 7);
    assertThat(nifty.previousClose().previousClose()).isCloseTo(25_496.55f, within());
  }

  @Test
  void any_other_instrument_starts_at_a_seeded_random_level() {
    Instrument unknown = Instrument.of(ExchangeSegment.NSE_FNO, 55796);
    float first = new MarketWalk(unknown, 7).previousClose().previousClose();
    assertThat(first).isBetween(50f, 3_000f);
    assertThat(new MarketWalk(unknown, 7).previousClose().previousClose()).isEqualTo(first);
  }

  private static org.assertj.core.data.Offset<Float> within() {
    return org.assertj.core.data.Offset.offset(0.05f);
  }
}
