package io.tickshard.simulator;

import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.Instrument;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Price levels the simulated market starts known instruments near (the NIFTY 50 shares and the main
 * indices, {@code reference-prices.csv}, whose header names where each level comes from), so that
 * HDFCBANK trades near its own price rather than at a random one. Every other instrument starts at
 * a random level.
 */
final class ReferencePrices {
  private static final Map<Instrument, Float> PRICES = load();

  private ReferencePrices() {}

  static Optional<Float> of(Instrument instrument) {
    return Optional.ofNullable(PRICES.get(instrument));
  }

  static int size() {
    return PRICES.size();
  }

  private static Map<Instrument, Float> load() {
    Map<Instrument, Float> prices = new HashMap<>();
    try (InputStream in = ReferencePrices.class.getResourceAsStream("reference-prices.csv")) {
      if (in == null) {
        throw new IllegalStateException("reference-prices.csv is missing from the simulator");
      }
      BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      boolean header = true;
      while ((line = lines.readLine()) != null) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        if (header) {
          header = false; // segment,securityId,symbol,price
          continue;
        }
        String[] fields = line.split(",");
        ExchangeSegment segment =
            ExchangeSegment.fromName(fields[0])
                .orElseThrow(() -> new IllegalStateException("reference price of " + fields[0]));
        prices.put(
            Instrument.of(segment, Integer.parseInt(fields[1])), Float.parseFloat(fields[3]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.copyOf(prices);
  }
}
