package io.tickshard.streams.candles;

import io.tickshard.streams.CborSerializable;
import java.util.List;

/**
 * A {@link CandleBuilder}'s state, handed to the node that takes its socket over, so that the
 * forming minutes and the last cumulative volumes move with the instruments' ticks.
 */
public record FormingCandles(List<FormingCandle> instruments) implements CborSerializable {
  public FormingCandles {
    instruments = List.copyOf(instruments);
  }
}
