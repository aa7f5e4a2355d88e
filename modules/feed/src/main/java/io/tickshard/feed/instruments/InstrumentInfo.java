package io.tickshard.feed.instruments;

import io.tickshard.feed.Instrument;

/**
 * One entry of the broker's instrument list: what people call an instrument.
 *
 * @param symbol the trading symbol ({@code RELIANCE}, {@code NIFTY}, {@code NIFTY25DECFUT})
 * @param name the display name ({@code Reliance Industries}, {@code Nifty 50})
 * @param kind the broker's instrument type ({@code EQUITY}, {@code INDEX}, {@code FUTIDX}, …)
 */
public record InstrumentInfo(Instrument instrument, String symbol, String name, String kind) {}
