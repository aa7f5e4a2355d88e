package io.tickshard.api;

import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.Instrument;
import io.tickshard.feed.instruments.InstrumentCatalog;
import io.tickshard.feed.instruments.InstrumentInfo;
import io.tickshard.streams.StreamKey;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instruments this node knows by name (the broker's list, read once at start): symbols in a
 * start become ids, answers name the instruments of a key.
 */
final class InstrumentNames {
  private static final Logger log = LoggerFactory.getLogger(InstrumentNames.class);

  private final InstrumentCatalog catalog;
  private final Map<StreamKey, Map<String, InstrumentResponse.Name>> namesByKey =
      Collections.synchronizedMap(
          new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(
                Map.Entry<StreamKey, Map<String, InstrumentResponse.Name>> eldest) {
              return size() > NAMED_KEYS;
            }
          });
  private static final int NAMED_KEYS = 1_024;

  InstrumentNames(InstrumentCatalog catalog) {
    this.catalog = catalog;
  }

  /**
   * The list the settings name: their file, else the sample when asked for, else none.
   *
   * @throws IllegalArgumentException when the file cannot be read or is not the broker's list
   */
  static InstrumentNames load(ApiSettings settings) {
    InstrumentCatalog catalog;
    if (settings.instrumentsFile().isPresent()) {
      Path file = settings.instrumentsFile().get();
      try {
        catalog = InstrumentCatalog.load(file);
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException(
            "TICKSHARD_INSTRUMENTS_FILE "
                + file
                + " cannot be read as the broker's instrument list: "
                + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()),
            e);
      }
    } else if (settings.instrumentSample()) {
      catalog = InstrumentCatalog.sample();
    } else {
      catalog = InstrumentCatalog.empty();
    }
    log.info(
        "instruments: {} from {}{}",
        catalog.size(),
        catalog.source(),
        catalog.skipped() > 0 ? " (" + catalog.skipped() + " rows of other segments skipped)" : "");
    return new InstrumentNames(catalog);
  }

  InstrumentCatalog catalog() {
    return catalog;
  }

  /**
   * The instrument texts of a start with every symbol replaced by its {@code SEGMENT:ID}; ids and
   * texts that are not symbols (left for the key's own checks) pass as they are.
   *
   * @throws Problem 400 {@code unknown-symbol} naming every symbol the list does not have
   */
  List<String> resolve(List<String> texts) {
    List<String> resolved = new ArrayList<>(texts.size());
    List<String> unknown = new ArrayList<>();
    for (String text : texts) {
      if (!isSymbol(text)) {
        resolved.add(text);
        continue;
      }
      Optional<Instrument> instrument = catalog.resolve(text);
      if (instrument.isPresent()) {
        resolved.add(instrument.get().toString());
      } else {
        unknown.add(text.trim());
      }
    }
    if (!unknown.isEmpty()) {
      throw Problem.unknownSymbols(
          unknown,
          catalog.size() == 0
              ? "not ids, and no instrument list is loaded to look symbols up"
                  + " (TICKSHARD_INSTRUMENTS_FILE): "
                  + String.join(", ", unknown)
              : "no instrument in the list ("
                  + catalog.source()
                  + ") has the symbol "
                  + String.join(", ", unknown)
                  + "; search it with GET /api/v1/instruments?q=");
    }
    return resolved;
  }

  /** Symbol and name of each of the key's instruments the list has, by {@code SEGMENT:ID}. */
  Map<String, InstrumentResponse.Name> names(StreamKey key) {
    if (catalog.size() == 0) {
      return null;
    }
    // A key's names never change: worked out once per key, not on every status call (a
    // 5,000-instrument key's were a quarter of its status call; docs/benchmarks.md, issue 23).
    return namesByKey.computeIfAbsent(key, this::lookUp);
  }

  private Map<String, InstrumentResponse.Name> lookUp(StreamKey key) {
    Map<String, InstrumentResponse.Name> names = new LinkedHashMap<>();
    for (Instrument instrument : key.instruments()) {
      catalog
          .info(instrument)
          .ifPresent(info -> names.put(instrument.toString(), InstrumentResponse.name(info)));
    }
    return Collections.unmodifiableMap(names);
  }

  List<InstrumentInfo> search(String query, int limit) {
    return catalog.search(query, limit);
  }

  /**
   * A symbol has a letter after the optional segment (an id is digits only; "-5" or "1.5" are bad
   * ids, which the key's checks name). A text whose segment is not one the feed knows is left to
   * those checks too.
   */
  private static boolean isSymbol(String text) {
    String trimmed = text.trim();
    int colon = trimmed.indexOf(':');
    if (colon >= 0
        && ExchangeSegment.fromName(trimmed.substring(0, colon).toUpperCase(Locale.ROOT))
            .isEmpty()) {
      return false;
    }
    String rest = colon >= 0 ? trimmed.substring(colon + 1) : trimmed;
    return rest.chars().anyMatch(Character::isLetter);
  }
}
