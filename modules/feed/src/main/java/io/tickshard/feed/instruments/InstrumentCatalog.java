package io.tickshard.feed.instruments;

import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.Instrument;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The instruments people know by name: looked up by instrument, resolved from a symbol, searched by
 * symbol or name. Immutable; built once from the broker's list ({@link ScripMaster}).
 *
 * <p>A bare symbol is looked for in this order of segments: NSE equity, indices, BSE equity, then
 * derivatives, commodities and currencies ({@code RELIANCE} is the NSE share, {@code NIFTY} the
 * index); {@code SEGMENT:SYMBOL} names the segment.
 */
public final class InstrumentCatalog {
  /** The sample shipped with tickshard: the main indices and the NIFTY 50 shares. */
  public static final String SAMPLE = "nifty50-sample.csv";

  private static final List<ExchangeSegment> PREFERENCE =
      List.of(
          ExchangeSegment.NSE_EQ,
          ExchangeSegment.IDX_I,
          ExchangeSegment.BSE_EQ,
          ExchangeSegment.NSE_FNO,
          ExchangeSegment.BSE_FNO,
          ExchangeSegment.MCX_COMM,
          ExchangeSegment.NSE_CURRENCY,
          ExchangeSegment.BSE_CURRENCY);

  private static final InstrumentCatalog EMPTY = new InstrumentCatalog(List.of(), 0, "none");

  private final Map<Instrument, InstrumentInfo> byInstrument = new HashMap<>();
  private final Map<String, List<InstrumentInfo>> bySymbol = new HashMap<>();
  private final List<Searchable> searchable = new ArrayList<>();
  private final int skipped;
  private final String source;

  private record Searchable(InstrumentInfo info, String symbol, String name, int preference) {}

  private InstrumentCatalog(List<InstrumentInfo> entries, int skipped, String source) {
    this.skipped = skipped;
    this.source = source;
    for (InstrumentInfo info : entries) {
      if (byInstrument.putIfAbsent(info.instrument(), info) != null) {
        continue; // the same instrument twice: the first stands
      }
      String symbol = upper(info.symbol());
      bySymbol.computeIfAbsent(symbol, s -> new ArrayList<>()).add(info);
      searchable.add(
          new Searchable(
              info, symbol, upper(info.name()), PREFERENCE.indexOf(info.instrument().segment())));
    }
    bySymbol
        .values()
        .forEach(list -> list.sort(Comparator.comparingInt(i -> preference(i.instrument()))));
  }

  /** No instruments: ids only, no names. */
  public static InstrumentCatalog empty() {
    return EMPTY;
  }

  public static InstrumentCatalog of(List<InstrumentInfo> entries, String source) {
    return new InstrumentCatalog(entries, 0, source);
  }

  /**
   * The broker's list from a file.
   *
   * @throws IOException when it cannot be read
   * @throws IllegalArgumentException when it is not in the broker's format
   */
  public static InstrumentCatalog load(Path file) throws IOException {
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      ScripMaster.Read read = ScripMaster.read(reader);
      return new InstrumentCatalog(read.entries(), read.skipped(), file.toString());
    }
  }

  /** The sample shipped with tickshard (a resource of this module). */
  public static InstrumentCatalog sample() {
    try (InputStream in = InstrumentCatalog.class.getResourceAsStream(SAMPLE)) {
      if (in == null) {
        throw new IllegalStateException("the instrument sample " + SAMPLE + " is missing");
      }
      ScripMaster.Read read =
          ScripMaster.read(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
      return new InstrumentCatalog(read.entries(), read.skipped(), "sample");
    } catch (IOException e) {
      throw new IllegalStateException("the instrument sample cannot be read", e);
    }
  }

  public int size() {
    return byInstrument.size();
  }

  /** Rows of the list that named no instrument the feed knows (other segments, no id). */
  public int skipped() {
    return skipped;
  }

  /** Where it came from: a file's path, {@code sample}, or {@code none}. */
  public String source() {
    return source;
  }

  public Optional<InstrumentInfo> info(Instrument instrument) {
    return Optional.ofNullable(byInstrument.get(instrument));
  }

  /**
   * The instrument a symbol names: {@code RELIANCE}, or {@code SEGMENT:SYMBOL}; case does not
   * matter. Empty when no entry has that symbol (in that segment).
   */
  public Optional<Instrument> resolve(String text) {
    String wanted = upper(text.trim());
    int colon = wanted.indexOf(':');
    if (colon > 0) {
      Optional<ExchangeSegment> segment = ExchangeSegment.fromName(wanted.substring(0, colon));
      if (segment.isPresent()) {
        return bySymbol.getOrDefault(wanted.substring(colon + 1), List.of()).stream()
            .filter(info -> info.instrument().segment() == segment.get())
            .map(InstrumentInfo::instrument)
            .findFirst();
      }
    }
    List<InstrumentInfo> found = bySymbol.getOrDefault(wanted, List.of());
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0).instrument());
  }

  /**
   * Entries whose symbol or name matches {@code query}, best first: the exact symbol, symbols
   * starting with it, then symbols or names containing it; by segment preference, then symbol.
   */
  public List<InstrumentInfo> search(String query, int limit) {
    String wanted = upper(query.trim());
    if (wanted.isEmpty() || limit <= 0) {
      return List.of();
    }
    List<Searchable> hits = new ArrayList<>();
    for (Searchable entry : searchable) {
      if (entry.symbol().contains(wanted) || entry.name().contains(wanted)) {
        hits.add(entry);
      }
    }
    hits.sort(
        Comparator.<Searchable>comparingInt(entry -> rank(entry, wanted))
            .thenComparingInt(Searchable::preference)
            .thenComparing(Searchable::symbol));
    return hits.stream().limit(limit).map(Searchable::info).toList();
  }

  private static int rank(Searchable entry, String wanted) {
    if (entry.symbol().equals(wanted)) {
      return 0;
    }
    if (entry.symbol().startsWith(wanted)) {
      return 1;
    }
    if (entry.name().startsWith(wanted)) {
      return 2;
    }
    return entry.symbol().contains(wanted) ? 3 : 4;
  }

  private static int preference(Instrument instrument) {
    return PREFERENCE.indexOf(instrument.segment());
  }

  private static String upper(String text) {
    return text.toUpperCase(Locale.ROOT);
  }
}
